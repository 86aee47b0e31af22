#!/usr/bin/env bash
# Benchmark of the official documents (not a test): Thanh Hóa filled with `cnscd demo --teams-per-commune 40`,
# one reporting round answered by all 166 communes, then the consolidated report (166 communes) and the report
# of the commune whose team count is nearest 40, each as PDF and DOCX: wall time as the client sees it (median
# of 5) and the server's peak memory (VmHWM) before and after, on a server that has served nothing else.
#   bench/documents.sh                                      # SQLite
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnscd_bench bench/documents.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=$PWD/target/release/cnscd
WORK=$(mktemp -d)
PORT=${BENCH_PORT:-18081}
export CNSCD_DATABASE_URL=${BENCH_DATABASE_URL:-sqlite://$WORK/bench.db}
export CNSCD_LOG=warn
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "== binary: $(stat -c %s "$BIN" | numfmt --to=iec-i --suffix=B) ($BIN)"
"$BIN" demo --teams-per-commune 40 >/dev/null
CNSCD_NEW_PASSWORD="do-hieu-nang-2025" "$BIN" user add bench --role province_admin >/dev/null
TOKEN=$("$BIN" user token bench --name bench)
AUTH="Authorization: Bearer $TOKEN"
"$BIN" serve --listen "127.0.0.1:$PORT" & SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/login" >/dev/null && break; sleep 0.2; done
ROUND=$(python3 bench/rounds_seed.py "http://127.0.0.1:$PORT" "$TOKEN" 1 | tail -1)
ROUND=${ROUND##* }
COMMUNE=$(curl -s -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/overview" | python3 -c '
import json, sys
communes = json.load(sys.stdin)["communes"]
c = min(communes, key=lambda c: abs(c["teams"] - 40))
print(c["code"], c["teams"], c["members"])')
set -- $COMMUNE
echo "== round $ROUND; commune $1 with $2 teams and $3 members"

peak() { awk '/VmHWM/{print $2}' "/proc/$SERVER/status"; }
measure() {
  local label=$1 path=$2
  local times=() size first
  # The first request lays the document out from nothing; typst keeps a little of its memo for the next ones.
  first=$(curl -s -o "$WORK/out" -w '%{time_total}' -H "$AUTH" "http://127.0.0.1:$PORT$path")
  for _ in 1 2 3 4 5; do
    times+=("$(curl -s -o "$WORK/out" -w '%{time_total}' -H "$AUTH" "http://127.0.0.1:$PORT$path")")
  done
  size=$(stat -c %s "$WORK/out")
  local pages=""
  if [[ $path == *format=pdf* ]] && command -v pdfinfo >/dev/null; then
    pages=", $(pdfinfo "$WORK/out" 2>/dev/null | awk '/Pages/{print $2}') pages"
  fi
  printf '%-40s first %6.3f s, then median %6.3f s  %8s%s; server peak %s KiB\n' "$label" "$first" \
    "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)" "$(numfmt --to=iec-i --suffix=B "$size")" "$pages" "$(peak)"
}
echo "== server peak memory before any document: $(peak) KiB"
measure "consolidated report, 166 communes, PDF" "/api/v1/rounds/$ROUND/consolidated-report?format=pdf"
measure "consolidated report, 166 communes, DOCX" "/api/v1/rounds/$ROUND/consolidated-report?format=docx"
measure "commune report, $2 teams, PDF" "/api/v1/rounds/$ROUND/reports/$1/document?format=pdf"
measure "commune report, $2 teams, DOCX" "/api/v1/rounds/$ROUND/reports/$1/document?format=docx"
measure "round letter, PDF" "/api/v1/rounds/$ROUND/letter?format=pdf"
measure "province team summary, PDF" "/api/v1/team-list-document?format=pdf"
