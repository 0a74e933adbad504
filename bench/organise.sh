#!/usr/bin/env bash
# Organising at scale: seeds ASSETS (default 100,000) assets into one project of a release
# server's embedded PostgreSQL, then prints p50/p95/max over REPS (default 30) requests for
# the first page (100 items and the total) of representative smart collections, filters and
# searches, through the REST API. Also prints the plan of the 5-star collection's query.
source "$(dirname "$0")/common.sh"
ASSETS="${ASSETS:-100000}"
REPS="${REPS:-30}"
BIN="${BIN:-target/release/dailies}"
[ "$BIN" = target/release/dailies ] && cargo leptos build --release >/dev/null 2>&1
echo "server: $BIN, assets: $ASSETS"

start_server 3197
bench_account "Organise bench"

# The embedded cluster: its socket directory, port and the app role's password.
SOCK=$(find "$DATA" -name '.s.PGSQL.*' -not -name '*.lock' | head -1)
PGDIR=$(dirname "$(dirname "$SOCK")")
export PGHOST=127.0.0.1 PGPORT="${SOCK##*.}" PGUSER=dailies PGDATABASE=dailies PGPASSWORD="$(cat "$PGDIR/password")"
t0=$(date +%s.%N)
psql -q -X -v ON_ERROR_STOP=1 -v n="$ASSETS" -v project="$PROJECT" -v owner="$OWNER_ID" -f bench/organise/seed.sql
python3 -c "print(f'seeded {int(\"$ASSETS\"):,} assets in {$(date +%s.%N) - $t0:.1f} s')"
echo
python3 bench/organise/measure.py "$BASE" "$TOKEN" "$PROJECT" "$REPS"
echo
echo "plan of the 5-star photos page:"
psql -At -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT assets.id FROM assets JOIN asset_versions ON asset_versions.asset_id = assets.id AND asset_versions.number = assets.current_version WHERE assets.project_id = '$PROJECT' AND assets.trashed_at IS NULL AND (assets.rating >= 5 AND assets.media_type = 'image') ORDER BY assets.created_at DESC, assets.id DESC LIMIT 100" | sed 's/^/  /'
