#!/usr/bin/env bash
# Benchmark of the Excel template (not a test): a whole-province file (166 communes, ~5,000 teams, ~30,000
# members) imported with full validation and written into an empty registry, imported again (nothing to
# change), exported; compared in the same run with Python pandas `read_excel` only reading the same file.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
python3 -c "import pandas, openpyxl" 2>/dev/null || python3 -m pip install --quiet pandas openpyxl
cargo build --release --quiet
BIN=$PWD/target/release/cnscd
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export CNSCD_LOG=warn

echo "== A whole-province file"
CNSCD_DATABASE_URL="sqlite://$WORK/source.db" "$BIN" demo --clean --teams-per-commune 30 >/dev/null
CNSCD_DATABASE_URL="sqlite://$WORK/source.db" "$BIN" export --out "$WORK/tinh.xlsx" 2>&1
ls -l "$WORK/tinh.xlsx" | awk '{printf "file: %.1f MB\n", $5 / 1048576}'

echo "== Peak memory (one run each)"
/usr/bin/time -f "import into an empty registry: %e s, %M KiB peak" \
  env CNSCD_DATABASE_URL="sqlite://$WORK/once.db" "$BIN" import "$WORK/tinh.xlsx" >/dev/null
/usr/bin/time -f "export: %e s, %M KiB peak" \
  env CNSCD_DATABASE_URL="sqlite://$WORK/source.db" "$BIN" export --out "$WORK/again.xlsx"
/usr/bin/time -f "pandas read_excel: %e s, %M KiB peak" \
  python3 -c "import sys, pandas; pandas.read_excel(sys.argv[1], sheet_name=None, header=None)" "$WORK/tinh.xlsx"

echo "== Where an import spends its time (from the log)"
rm -f "$WORK"/phases.db*
CNSCD_DATABASE_URL="sqlite://$WORK/phases.db" "$BIN" settings >/dev/null
for run in "into an empty registry" "again, nothing to change"; do
  printf '%s: ' "$run"
  CNSCD_LOG=info CNSCD_DATABASE_URL="sqlite://$WORK/phases.db" "$BIN" import "$WORK/tinh.xlsx" 2>&1 >/dev/null |
    sed -E 's/\x1b\[[0-9;]*m//g' | grep -oE 'read_ms=[0-9]+ write_ms=[0-9]+'
done

echo "== Timings (hyperfine)"
hyperfine --warmup 1 --runs 5 --style basic \
  --prepare "rm -f $WORK/empty.db*; CNSCD_DATABASE_URL=sqlite://$WORK/empty.db $BIN settings >/dev/null" \
  -n "cnscd import (validate + write, empty registry)" "CNSCD_DATABASE_URL=sqlite://$WORK/empty.db $BIN import $WORK/tinh.xlsx" \
  2>&1 | grep -E "Time|Range|±" || true
hyperfine --warmup 1 --runs 5 --style basic \
  -n "cnscd import again (nothing changes)" "CNSCD_DATABASE_URL=sqlite://$WORK/source.db $BIN import $WORK/tinh.xlsx" \
  -n "cnscd import --dry-run" "CNSCD_DATABASE_URL=sqlite://$WORK/source.db $BIN import --dry-run $WORK/tinh.xlsx" \
  -n "cnscd export (xlsx)" "CNSCD_DATABASE_URL=sqlite://$WORK/source.db $BIN export --out $WORK/x.xlsx" \
  -n "pandas read_excel (read only)" "python3 -c 'import sys, pandas; pandas.read_excel(sys.argv[1], sheet_name=None, header=None)' $WORK/tinh.xlsx" \
  2>&1 | grep -E "^Benchmark|Time|±" || true
