#!/usr/bin/env bash
# Benchmark of the registry at national size (not a test): seed ~100,000 teams and ~600,000 members, then
# measure p50/p99 latency of the province overview, a team page and searches with wrk on loopback.
#   bench/registry.sh                       # SQLite (the embedded default)
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnscd_bench bench/registry.sh
#   BENCH_CONNECTIONS=200 bench/registry.sh  # the issue's load (default 8 connections)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet
BIN=$PWD/target/release/cnscd
WORK=$(mktemp -d)
PORT=${BENCH_PORT:-18080}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
export CNSCD_DATABASE_URL=${BENCH_DATABASE_URL:-sqlite://$WORK/bench.db}
export CNSCD_LOG=warn
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "== Seeding the national registry ($CNSCD_DATABASE_URL)"
/usr/bin/time -f "seed: %e s wall, %M KiB peak memory" "$BIN" demo --all-provinces --teams-per-commune 30

# Every request is authenticated, as in production: a province admin's API token (one indexed lookup each).
CNSCD_NEW_PASSWORD="do-hieu-nang-2025" "$BIN" user add bench --role province_admin >/dev/null
AUTH="Authorization: Bearer $("$BIN" user token bench --name bench)"
# The public pages' per-address limit would refuse wrk's load from one address: lifted for the measurement.
CNSCD_PUBLIC_REQUESTS_PER_MINUTE=100000000 "$BIN" serve --listen "127.0.0.1:$PORT" & SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/login" >/dev/null && break; sleep 0.2; done
TEAM=$(curl -s -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/teams?commune=16177&per_page=1" | sed -E 's/.*"items":\[\{"id":([0-9]+).*/\1/')

measure() {
  local label=$1 path=$2
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$AUTH" "http://127.0.0.1:$PORT$path")
  printf '%-34s p50 %8s  p99 %8s  %s req/s\n' "$label" \
    "$(awk '$1=="50%"{print $2}' <<<"$out")" "$(awk '$1=="99%"{print $2}' <<<"$out")" \
    "$(awk '/Requests\/sec/{print $2}' <<<"$out")"
}
echo "== Latency (wrk, 2 threads, $CONNECTIONS connections, $DURATION each)"
measure "province overview (page)" "/"
measure "province overview (API)" "/api/v1/overview"
measure "team page" "/teams/$TEAM"
measure "search 'xuan binh' (page)" "/search?q=xuan+binh"
measure "search 'nguyen van an' (API)" "/api/v1/search?q=nguyen%20van%20an"
measure "search 'hoa' (API)" "/api/v1/search?q=hoa"

echo "== Reporting rounds: 10 rounds of history for Thanh Hóa's 166 communes"
ROUND=$(python3 bench/rounds_seed.py "http://127.0.0.1:$PORT" "${AUTH#Authorization: Bearer }" 10)
measure "round board (page)" "/rounds/$ROUND"
measure "round status (API)" "/api/v1/rounds/$ROUND/status"
measure "round figures (API)" "/api/v1/rounds/$ROUND/figures"
measure "round figures (page)" "/rounds/$ROUND/figures"

echo "== Dashboard (national registry, the rounds above) and the public team finder"
# The dashboards are computed once per change of the registry: the first reading after a change is timed
# alone, then the steady state is measured.
for path in "/dashboard" "/dashboard?commune=16177"; do
  printf '%-34s %s s\n' "first reading of $path" \
    "$(curl -s -o /dev/null -w '%{time_total}' -H "$AUTH" "http://127.0.0.1:$PORT$path")"
done
measure "province dashboard (page)" "/dashboard"
measure "commune dashboard (page)" "/dashboard?commune=16177"
measure "public finder 'xuan' (page)" "/public?q=xuan"
measure "public commune page" "/public/communes/16177"
measure "public commune (API)" "/api/public/communes/16177"
