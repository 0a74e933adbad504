#!/usr/bin/env bash
# A 2 GB tus upload into a release server on the embedded database and local storage:
# throughput, and the server's peak resident memory (VmHWM), which must not grow with the file.
source "$(dirname "$0")/common.sh"
SIZE_MB="${SIZE_MB:-2048}"
FILE="$WORK/upload-${SIZE_MB}MB.bin"
[ -f "$FILE" ] || head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom > "$FILE"
# BIN=target/debug/dailies measures a debug build instead (figures then say so).
BIN="${BIN:-target/release/dailies}"
[ "$BIN" = target/release/dailies ] && cargo leptos build --release >/dev/null 2>&1
echo "server: $BIN"
start_server 3197
bench_account Bench
b64() { printf '%s' "$1" | base64 -w0; }
LEN=$(stat -c %s "$FILE")
rss0=$(grep VmHWM /proc/$PID/status | awk '{print $2}')
LOC=$(curl -fs -D - -o /dev/null -H "authorization: Bearer $TOKEN" -H 'tus-resumable: 1.0.0' -H "upload-length: $LEN" \
  -H "upload-metadata: filename $(b64 big.bin),project_id $(b64 "$PROJECT")" -X POST "$BASE/api/v1/uploads" | tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}')
start=$(date +%s.%N)
curl -fs -o /dev/null -X PATCH -H "authorization: Bearer $TOKEN" -H 'tus-resumable: 1.0.0' -H 'upload-offset: 0' \
  -H 'content-type: application/offset+octet-stream' -T "$FILE" "$BASE$LOC"
end=$(date +%s.%N)
rss=$(grep VmHWM /proc/$PID/status | awk '{print $2}')
OFF=$(curl -fs -I -H "authorization: Bearer $TOKEN" -H 'tus-resumable: 1.0.0' "$BASE$LOC" | tr -d '\r' | awk -F': ' 'tolower($1)=="upload-offset"{print $2}')
echo "bytes=$LEN stored_offset=$OFF"
echo "seconds=$(python3 -c "print(f'{$end-$start:.2f}')")"
echo "throughput_mb_per_s=$(python3 -c "print(f'{$LEN/1e6/($end-$start):.0f}')")"
echo "server_peak_rss_mib_before=$(python3 -c "print(f'{$rss0/1024:.0f}')") server_peak_rss_mib_after=$(python3 -c "print(f'{$rss/1024:.0f}')")"
