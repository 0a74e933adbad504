# Shared by the bench scripts: build the release tools once, find the figures' inputs.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
source scripts/env.sh
WORK="${BENCH_WORK:-/tmp/dailies-bench}"
mkdir -p "$WORK"
BENCH_BIN="$REPO/target/release/examples/bench"
build_bench() {
  cargo build --release -q -p media --example bench
}
# key=value lines → value of KEY
val() { grep "^$1=" | head -1 | cut -d= -f2; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}' if b else 'n/a')" "$1" "$2"; }

# Starts `$BIN serve` on the embedded database in a fresh data directory on port $1 (extra
# environment as further NAME=value arguments, which win); sets PID, DATA and BASE, stops it on exit.
start_server() {
  local port=$1; shift
  DATA="$(mktemp -d)" && chmod 755 "$DATA"
  BASE="http://127.0.0.1:$port"
  env DAILIES_DATA="$DATA" DAILIES_ADDR="127.0.0.1:$port" DAILIES_WORKERS=0 RUST_LOG=warn "$@" "$BIN" serve &
  PID=$!
  trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
  for _ in $(seq 1 300); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done
}
# Signs up a bench owner with an API token and a project; sets OWNER_ID, TOKEN and PROJECT.
bench_account() {
  local jar="$WORK/cookies.txt" py='import json,sys; print(json.load(sys.stdin)[sys.argv[1]])'
  OWNER_ID=$(curl -fs -c "$jar" -H 'content-type: application/json' -d '{"email":"bench@example.com","name":"Bench","password":"password123"}' "$BASE/api/v1/auth/signup" | python3 -c "$py" id)
  TOKEN=$(curl -fs -b "$jar" -H "origin: $BASE" -H 'content-type: application/json' -d '{"name":"bench"}' "$BASE/api/v1/tokens" | python3 -c "$py" secret)
  PROJECT=$(curl -fs -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "{\"name\":\"${1:-Bench}\"}" "$BASE/api/v1/projects" | python3 -c "$py" id)
}
