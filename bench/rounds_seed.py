#!/usr/bin/env python3
"""Fills a province with reporting-round history for the benchmark (not a test): ROUNDS rounds, in each every
expected commune saves and submits its figures, one in ten is returned and one in three accepted.

usage: bench/rounds_seed.py BASE_URL TOKEN [ROUNDS]   (prints the last round's id)
"""
import datetime, http.client, json, sys, time, urllib.parse

CODES = ["public_services", "online_shopping", "other_platforms", "business_support",
         "cashless_payments", "cyber_safety", "vneid_activated", "sessions_held"]

def main():
    base, token, *rest = sys.argv[1:]
    rounds = int(rest[0]) if rest else 10
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)  # one kept-alive connection

    def call(method, path, body=None):
        headers = {"Authorization": f"Bearer {token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        answer = conn.getresponse()
        payload = answer.read()
        if answer.status >= 300:
            raise SystemExit(f"{method} {path}: {answer.status} {payload[:300]!r}")
        return json.loads(payload) if payload else None

    started = time.time()
    last = None
    for n in range(rounds):
        month = n % 12 + 1
        # Deadlines still to come (a round cannot be opened with a deadline already past).
        deadline = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30 + n)
        round_ = call("POST", "/api/v1/rounds", {
            "title": f"Báo cáo tháng {month}/{2025 + n // 12}", "kind": "monthly",
            "deadline": deadline.isoformat(timespec="seconds")})
        last = round_["id"]
        communes = [line["commune_code"] for line in call("GET", f"/api/v1/rounds/{last}/board")]
        for i, code in enumerate(communes):
            figures = {c: (i * 7 + j * 13 + n) % 200 for j, c in enumerate(CODES)}
            path = f"/api/v1/rounds/{last}/reports/{code}"
            call("PUT", path, {"figures": figures, "narrative": {"results": "Hoàn thành kế hoạch tháng."}})
            call("POST", f"{path}/submit", {})
            if i % 10 == 0:
                call("POST", f"{path}/return", {"reason": "Bổ sung số liệu."})
            elif i % 3 == 0:
                call("POST", f"{path}/accept", {})
    print(f"{rounds} rounds filled in {time.time() - started:.1f} s", file=sys.stderr)
    print(last)

main()
