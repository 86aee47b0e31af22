#!/usr/bin/env bash
# The scale goals of the registry, each measured and printed beside its goal with the ratio (not a test):
#   1. a whole-province file imported into an empty registry, against pandas `read_excel` only reading it;
#   2. the same file replacing a province filled with other data (dry run), on SQLite and PostgreSQL;
#   3. the province export, against pandas `to_excel` writing the same rows without any formatting;
#   4. the national export (every province, ~600,000 members) and its peak memory against one province's;
#   5. the province overview (page and API), a team page and a search at 200 connections, national registry.
#   bench/scale.sh                    # SQLite, and PostgreSQL at BENCH_PG_URL if it answers
#   BENCH_PG_URL= bench/scale.sh      # SQLite only
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null && command -v wrk >/dev/null ||
  { apt-get update -qq && apt-get install -y -qq hyperfine wrk >/dev/null; }
python3 -c "import pandas, openpyxl" 2>/dev/null || python3 -m pip install --quiet pandas openpyxl
cargo build --release --quiet
BIN=$PWD/target/release/cnscd
WORK=$(mktemp -d)
PG=${BENCH_PG_URL-postgres://postgres@127.0.0.1:5432/cnscd_bench}
PORT=${BENCH_PORT:-18090}
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
export CNSCD_LOG=warn

# hyperfine's mean in seconds of one command.
mean() {
  hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$WORK/h.json" "$@" >/dev/null 2>&1
  python3 -c "import json; print('%.3f' % json.load(open('$WORK/h.json'))['results'][0]['mean'])"
}
row() { printf '%-66s %10s %12s %s\n' "$1" "$2" "$3" "$4"; }
ratio() { python3 -c "print('%.1f×' % ($1 / $2))"; }

pg_ready=false
if [ -n "$PG" ]; then
  admin=${PG%/*}/postgres
  if psql "$admin" -qc "DROP DATABASE IF EXISTS ${PG##*/}" 2>/dev/null && psql "$admin" -qc "CREATE DATABASE ${PG##*/}"; then
    pg_ready=true
  fi
fi

echo "== The whole-province file (Thanh Hóa, demo --clean --teams-per-commune 30)"
CNSCD_DATABASE_URL="sqlite://$WORK/source.db" "$BIN" demo --clean --teams-per-commune 30 >/dev/null
CNSCD_DATABASE_URL="sqlite://$WORK/source.db" "$BIN" export --out "$WORK/tinh.xlsx" 2>&1
CNSCD_DATABASE_URL="sqlite://$WORK/source.db" "$BIN" export --format csv --out "$WORK/tinh.csv" 2>/dev/null
ls -l "$WORK/tinh.xlsx" | awk '{printf "file: %.1f MB\n", $5 / 1048576}'
# Another province's worth of data in the same communes (another seed): replacing it changes nearly everything.
CNSCD_DATABASE_URL="sqlite://$WORK/other.db" "$BIN" demo --clean --teams-per-commune 30 --seed 7 >/dev/null

echo
row "what" "cnscd" "against" "ratio (goal)"
empty=$(mean --prepare "rm -f $WORK/empty.db*; CNSCD_DATABASE_URL=sqlite://$WORK/empty.db $BIN settings >/dev/null" \
  "CNSCD_DATABASE_URL=sqlite://$WORK/empty.db $BIN import $WORK/tinh.xlsx")
pandas_read=$(mean "python3 -c 'import sys, pandas; pandas.read_excel(sys.argv[1], sheet_name=None, header=None)' $WORK/tinh.xlsx")
row "1. import into an empty registry (s) vs pandas read_excel" "$empty" "$pandas_read" "$(ratio "$pandas_read" "$empty") faster (≥ 10×)"

replace_sqlite=$(RUNS=3 mean "CNSCD_DATABASE_URL=sqlite://$WORK/other.db $BIN import --dry-run --allow-removals $WORK/tinh.xlsx")
row "2. replace another fill, dry run, SQLite (s)" "$replace_sqlite" "0.5" "(< 0.5 s)"
if $pg_ready; then
  CNSCD_DATABASE_URL="$PG" "$BIN" demo --clean --teams-per-commune 30 --seed 7 >/dev/null
  replace_pg=$(RUNS=3 mean "CNSCD_DATABASE_URL=$PG $BIN import --dry-run --allow-removals $WORK/tinh.xlsx")
  row "   the same, PostgreSQL (s) vs SQLite" "$replace_pg" "$replace_sqlite" "$(ratio "$replace_pg" "$replace_sqlite") of SQLite (≤ 2×)"
fi

export_sqlite=$(mean "CNSCD_DATABASE_URL=sqlite://$WORK/source.db $BIN export --out $WORK/x.xlsx")
cat >"$WORK/to_excel.py" <<'PY'
import sys, time, pandas
rows = pandas.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
start = time.perf_counter()
rows.to_excel(sys.argv[2], index=False)
print("%.3f" % (time.perf_counter() - start))
PY
pandas_write=$(python3 "$WORK/to_excel.py" "$WORK/tinh.csv" "$WORK/pandas.xlsx")
row "3. province export, .xlsx (s) vs pandas to_excel (writing only)" "$export_sqlite" "$pandas_write" "$(ratio "$pandas_write" "$export_sqlite") faster (≤ 0.3 s)"

echo
echo "== National registry (demo --all-provinces --teams-per-commune 30)"
for db in sqlite postgres; do
  if [ $db = sqlite ]; then
    url="sqlite://$WORK/national.db"
  else
    $pg_ready || continue
    url=$PG
    psql "$admin" -qc "DROP DATABASE ${PG##*/}" && psql "$admin" -qc "CREATE DATABASE ${PG##*/}"
  fi
  export CNSCD_DATABASE_URL=$url
  /usr/bin/time -f "seed ($db): %e s" "$BIN" demo --all-provinces --teams-per-commune 30 --clean >/dev/null
  /usr/bin/time -f "%e %M" -o "$WORK/one" "$BIN" export --out "$WORK/tinh-once.xlsx" 2>/dev/null
  /usr/bin/time -f "%e %M" -o "$WORK/all" "$BIN" export --all-provinces --out "$WORK/toan-quoc.xlsx" 2>"$WORK/all.log"
  read -r one_s one_kb <"$WORK/one"
  read -r all_s all_kb <"$WORK/all"
  row "4. national export ($db), $(grep -oE '[0-9,]+ thành viên' "$WORK/all.log"): s, MiB peak" "$all_s" "$((all_kb / 1024)) MiB" "one province: $one_s s, $((one_kb / 1024)) MiB"

  CNSCD_NEW_PASSWORD="do-hieu-nang-2025" "$BIN" user add bench --role province_admin >/dev/null
  auth="Authorization: Bearer $("$BIN" user token bench --name bench)"
  "$BIN" serve --listen "127.0.0.1:$PORT" & SERVER=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/login" >/dev/null && break; sleep 0.2; done
  team=$(curl -s -H "$auth" "http://127.0.0.1:$PORT/api/v1/teams?commune=16177&per_page=1" | sed -E 's/.*"items":\[\{"id":([0-9]+).*/\1/')
  for target in "overview page|/" "overview API|/api/v1/overview" "team page|/teams/$team" "search API 'nguyen van an'|/api/v1/search?q=nguyen%20van%20an"; do
    out=$(wrk -t2 -c200 -d"${BENCH_DURATION:-8s}" --latency -H "$auth" "http://127.0.0.1:$PORT${target#*|}")
    rps=$(awk '/Requests\/sec/{printf "%d", $2}' <<<"$out")
    row "5. ${target%%|*} ($db), 200 connections: req/s, p50 / p99" "$rps" "$(awk '$1=="50%"{print $2}' <<<"$out") / $(awk '$1=="99%"{print $2}' <<<"$out")" "(≥ 5,000 req/s, p99 < 50 ms for the overview)"
  done
  kill $SERVER && wait $SERVER 2>/dev/null || true
  SERVER=
done
