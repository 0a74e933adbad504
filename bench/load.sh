#!/usr/bin/env bash
# The load scenario (#9): a release server with its in-process worker on the embedded
# database, on loopback, under 50 uploaders (photos and videos over tus), 200 commenters,
# 1,000 WebSocket viewers (subscribed, sending playheads) and 20 browsers (library pages,
# search, asset pages, thumbnails) for DURATION seconds (default 600). Prints latency per
# route class (p50/p95/p99/max), 4xx/5xx counts, the server's RSS over the run, and how long
# the job backlog takes to drain once the load stops. Fails if any response was a 5xx.
#
#   bench/load.sh                 # builds the release server first
#   BIN=path/to/dailies DURATION=120 VIEWERS=200 bench/load.sh
source "$(dirname "$0")/common.sh"
BIN="${BIN:-target/release/dailies}"
[ "$BIN" = target/release/dailies ] && CARGO_TARGET_DIR="$REPO/target" cargo leptos build --release >/dev/null 2>&1
(cd bench/load && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "server: $BIN ($(git rev-parse --short HEAD))"

# The media: six photos and four short videos, a mix of sizes.
MEDIA="$WORK/load-media"
mkdir -p "$MEDIA"
for i in 1 2 3 4 5 6; do
  [ -s "$MEDIA/photo$i.jpg" ] || ffmpeg -v error -y -f lavfi -i "testsrc2=s=$((1200 + i * 300))x$((800 + i * 200))" -frames:v 1 -q:v 2 "$MEDIA/photo$i.jpg"
done
for i in 1 2 3 4; do
  [ -s "$MEDIA/clip$i.mp4" ] || ffmpeg -v error -y -f lavfi -i "testsrc2=s=1280x720:r=25:d=$((4 * i))" \
    -f lavfi -i "sine=frequency=$((300 + i * 100)):sample_rate=48000:duration=$((4 * i))" \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -shortest "$MEDIA/clip$i.mp4"
done
du -sh "$MEDIA"

start_server 3199 DAILIES_WORKERS=2 DAILIES_WS_WRITES_PER_MINUTE=1000
echo "cpus=$(nproc)"
# RSS every 2 s while the load runs.
( while kill -0 "$PID" 2>/dev/null; do
    awk '/VmRSS/ {print $2}' "/proc/$PID/status" 2>/dev/null
    sleep 2
  done ) > "$WORK/rss.txt" &
SAMPLER=$!

set +e
BASE="$BASE" MEDIA="$MEDIA" node bench/load/load.mjs | tee "$WORK/load.txt"
status=${PIPESTATUS[0]}
set -e

# The backlog: queued or running jobs, until none are left.
ADMIN=$(curl -fs -c "$WORK/load-jar" -H 'content-type: application/json' \
  -d '{"email":"owner@load.example","password":"password123"}' "$BASE/api/v1/auth/login" >/dev/null && \
  curl -fs -b "$WORK/load-jar" -H "origin: $BASE" -H 'content-type: application/json' -d '{"name":"drain"}' "$BASE/api/v1/tokens" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
backlog() {
  local n=0 s
  for s in queued running; do
    n=$((n + $(curl -fs -H "authorization: Bearer $ADMIN" "$BASE/api/v1/admin/jobs?state=$s&limit=500" \
      | python3 -c 'import json,sys; print(sum(1 for j in json.load(sys.stdin) if j["kind"] != "expire_uploads"))')))
  done
  echo "$n"
}
t0=$(date +%s)
left=$(backlog)
echo "backlog_at_stop=$left"
while [ "$left" -gt 0 ] && [ $(( $(date +%s) - t0 )) -lt 1800 ]; do sleep 5; left=$(backlog); done
echo "backlog_drained_after_s=$(( $(date +%s) - t0 )) backlog_left=$left"
failed=$(curl -fs -H "authorization: Bearer $ADMIN" "$BASE/api/v1/admin/jobs?state=failed&limit=500" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "jobs_failed=$failed"
kill "$SAMPLER" 2>/dev/null || true
python3 - "$WORK/rss.txt" <<'PY'
import sys
v = [int(x) / 1024 for x in open(sys.argv[1]).read().split() if x.strip().isdigit()]
if v:
    print(f"server_rss_mib_start={v[0]:.0f} server_rss_mib_peak={max(v):.0f} server_rss_mib_end={v[-1]:.0f} samples={len(v)}")
PY
echo "server_peak_rss_mib=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$PID/status")"
exit "$status"
