#!/usr/bin/env bash
# Runs schemathesis against /api/openapi.json of a fresh server, signed in with a province admin's API token:
# no answer may be a 5xx and none may break the schema the document promises.
#   scripts/schemathesis.sh [path/to/cnscd]      (default: target/debug/cnscd, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/debug/cnscd}
[ -x "$binary" ] || cargo build --bin cnscd
command -v schemathesis >/dev/null || pip install --quiet schemathesis
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export CNSCD_DATABASE_URL="sqlite://$work/cnscd.db" CNSCD_NEW_PASSWORD="schemathesis-mật-khẩu"
"$binary" user add admin --role province_admin >/dev/null
token=$("$binary" user token admin --name schemathesis)
"$binary" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$base/api/openapi.json" >/dev/null && break; sleep 0.1; done
# A few records, so that reads by id find something to answer with.
curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$base/api/v1/teams" \
  -d '{"commune_code":"16177","name":"Tổ thôn 1","leader":{"full_name":"Nguyễn Văn An","phone":"0914994123"}}' >/dev/null
curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$base/api/v1/rounds" \
  -d "{\"title\":\"Báo cáo tháng\",\"deadline\":\"$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)\"}" >/dev/null
schemathesis run "$base/api/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" \
  --generation-deterministic \
  --suppress-health-check all
