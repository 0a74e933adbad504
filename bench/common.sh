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
