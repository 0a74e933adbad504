#!/usr/bin/env bash
# The load scenario (#9): a release server with its in-process worker on the embedded
# database, on loopback, under 50 uploaders (photos and videos over tus), 200 commenters,
# 1,000 WebSocket viewers (subscribed, sending playheads) and 20 browsers (library pages,
# search, asset pages, thumbnails) for DURATION seconds (default 600). Prints latency per
# route class (p50/p95/p99/max), 4xx/5xx counts, the server's RSS over the run, and how long
# the job backlog (counted in the database) takes to drain once the load stops, with the
# drain rate and how every processing job ended. Fails if any response was a 5xx.
#
# Uploaders pause UPLOAD_PAUSE_S (default 40-80) seconds between files. Every file is one
# processing job (a video's web proxy is a real H.264 encode); at 5-15 s the 50 uploaders
# offered about 2.4 files a second, several times what 2 cores can process, and the backlog
# then took longer to drain than the load ran.
#
#   bench/load.sh                 # builds the release server first
#   BIN=path/to/dailies DURATION=120 VIEWERS=200 UPLOAD_PAUSE_S=5-15 DRAIN_LIMIT=600 bench/load.sh
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

# The backlog, counted in the embedded database: queued or running jobs, until none are left.
PG="$DATA/pg"
psql_q() {
  PGPASSWORD="$(cat "$PG/password")" psql -qtAX -h 127.0.0.1 -p "$(sed -n 4p "$PG/data/postmaster.pid")" -U dailies dailies -c "$1"
}
backlog() { psql_q "select count(*) from jobs where state in ('queued','running') and kind <> 'expire_uploads'"; }
t0=$(date +%s)
left=$(backlog)
echo "backlog_at_stop=$left"
done_at_stop=$(psql_q "select count(*) from jobs where state = 'succeeded' and kind = 'process_version'")
while [ "$left" -gt 0 ] && [ $(( $(date +%s) - t0 )) -lt "${DRAIN_LIMIT:-3600}" ]; do sleep 5; left=$(backlog); done
drained=$(( $(date +%s) - t0 ))
echo "backlog_drained_after_s=$drained backlog_left=$left"
psql_q "select 'jobs_' || state || '=' || count(*) from jobs where kind = 'process_version' group by state order by state"
done_after=$(psql_q "select count(*) from jobs where state = 'succeeded' and kind = 'process_version'")
echo "drain_rate_jobs_per_min=$(python3 -c "print(round(($done_after - $done_at_stop) * 60 / max($drained, 1), 1))")"
psql_q "select 'versions_' || state || '=' || count(*) from asset_versions group by state order by state"
psql_q "select 'failed: ' || left(last_error, 160) from jobs where state = 'failed' limit 10"
kill "$SAMPLER" 2>/dev/null || true
python3 - "$WORK/rss.txt" <<'PY'
import sys
v = [int(x) / 1024 for x in open(sys.argv[1]).read().split() if x.strip().isdigit()]
if v:
    print(f"server_rss_mib_start={v[0]:.0f} server_rss_mib_peak={max(v):.0f} server_rss_mib_end={v[-1]:.0f} samples={len(v)}")
PY
echo "server_peak_rss_mib=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$PID/status")"
exit "$status"
