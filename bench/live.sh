#!/usr/bin/env bash
# Live delivery: N WebSocket clients (100, then 1,000; set CLIENTS="…" to change) on one asset
# of a release server, one comment posted a second, COMMENTS times (default 30): delivery latency
# from just before the POST to receipt on every client (p50/p99/max), and the server's CPU
# and peak memory. Then the same broadcast through a minimal Node socket.io server (npm
# packages installed inside bench/live), as a peer figure and a ratio.
# The clients sign in as 10 different people (presence lists stay realistic).
source "$(dirname "$0")/common.sh"
CLIENTS="${CLIENTS:-100 1000}"
SECONDS_EACH="${COMMENTS:-30}"
BIN="${BIN:-target/release/dailies}"
[ "$BIN" = target/release/dailies ] && cargo leptos build --release >/dev/null 2>&1
(cd bench/live && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "server: $BIN"

TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
peak_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
# Runs the clients while measuring process $1; prints the clients' figures and the CPU used.
measure() {
  local pid=$1; shift
  local c0 t0 c1 t1
  c0=$(cpu_ticks "$pid"); t0=$(date +%s.%N)
  echo "server_rss_mib_before=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status")"
  SERVER_PID="$pid" CLK_TCK="$TICK" node bench/live/clients.mjs "$@"
  c1=$(cpu_ticks "$pid"); t1=$(date +%s.%N)
  python3 -c "print(f'server_cpu_percent_whole_run={($c1-$c0)/$TICK/($t1-$t0)*100:.0f}')"
  echo "server_peak_rss_mib=$(peak_mib "$pid")"
}

DATA="$(mktemp -d)" && chmod 755 "$DATA"
PORT=3198
BASE="http://127.0.0.1:$PORT"
DAILIES_DATA="$DATA" DAILIES_ADDR="127.0.0.1:$PORT" DAILIES_WORKERS=0 DAILIES_WS_WRITES_PER_MINUTE=1000 RUST_LOG=warn "$BIN" serve &
PID=$!
PEER=""
trap 'kill $PID $PEER 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
token_for() { # email -> API token (signs up first)
  local jar="$WORK/jar-$1"
  curl -fs -c "$jar" -H 'content-type: application/json' -d "{\"email\":\"$1\",\"name\":\"Viewer $1\",\"password\":\"password123\"}" "$BASE/api/v1/auth/signup" >/dev/null
  curl -fs -b "$jar" -H "origin: $BASE" -H 'content-type: application/json' -d '{"name":"bench"}' "$BASE/api/v1/tokens" | json '["secret"]'
}
OWNER=$(token_for owner@example.com)
PROJECT=$(curl -fs -H "authorization: Bearer $OWNER" -H 'content-type: application/json' -d '{"name":"Live bench"}' "$BASE/api/v1/projects" | json '["id"]')
TOKENS="$OWNER"
for i in $(seq 1 9); do
  t=$(token_for "viewer$i@example.com")
  curl -fs -o /dev/null -H "authorization: Bearer $OWNER" -H 'content-type: application/json' \
    -d "{\"email\":\"viewer$i@example.com\",\"role\":\"commenter\"}" "$BASE/api/v1/projects/$PROJECT/members"
  TOKENS="$TOKENS,$t"
done
PHOTO="$WORK/live-bench.jpg"
[ -f "$PHOTO" ] || ffmpeg -v error -y -f lavfi -i testsrc2=s=1280x720 -frames:v 1 "$PHOTO"
b64() { printf '%s' "$1" | base64 -w0; }
ASSET=$(curl -fs -D - -o /dev/null -H "authorization: Bearer $OWNER" -H 'tus-resumable: 1.0.0' -H "upload-length: $(stat -c %s "$PHOTO")" \
  -H "upload-metadata: filename $(b64 still.jpg),project_id $(b64 "$PROJECT")" -H 'content-type: application/offset+octet-stream' \
  --data-binary "@$PHOTO" -X POST "$BASE/api/v1/uploads" | tr -d '\r' | awk -F': ' 'tolower($1)=="dailies-asset-id"{print $2}')
echo "project=$PROJECT asset=$ASSET"

node bench/live/peer.mjs 3199 >/dev/null &
PEER=$!
sleep 1
for n in $CLIENTS; do
  echo "== $n clients, $SECONDS_EACH comments"
  ours=$(measure "$PID" dailies "$BASE" "$TOKENS" "$PROJECT" "$ASSET" "$n" "$SECONDS_EACH")
  echo "$ours"
  size=$(echo "$ours" | tr ' ' '\n' | val dailies_event_bytes)
  peer=$(measure "$PEER" socketio "http://127.0.0.1:3199" "$n" "$SECONDS_EACH" "$size")
  echo "$peer" | sed 's/^server_/peer_/'
  for q in p50 p99; do
    echo "ratio_${q}_dailies_over_socketio=$(ratio "$(echo "$ours" | tr ' ' '\n' | val "dailies_${q}_ms")" "$(echo "$peer" | tr ' ' '\n' | val "socketio_${q}_ms")")"
  done
done
