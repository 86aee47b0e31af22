#!/usr/bin/env python3
"""Screenshots of pages as a signed-in user sees them, through chromedriver (Debian's chromium).

usage: scripts/screenshots.py BASE_URL USERNAME PASSWORD OUT_DIR WIDTH PAGE...
Each PAGE is a path ("/", "/communes/16177"); a path ending in "!post:FORM_SELECTOR" submits that form
first (e.g. "/admin/users/onboard!post:form button"). Pictures are as tall as the page, up to 6000 px.
"""
import base64, json, os, subprocess, sys, time, urllib.request

def call(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())["value"]

def main():
    base, user, password, out, width, *pages = sys.argv[1:]
    width = int(width)
    os.makedirs(out, exist_ok=True)
    port = 9599
    driver = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wd = f"http://127.0.0.1:{port}"
    try:
        for _ in range(50):
            try:
                call("GET", f"{wd}/status"); break
            except Exception:
                time.sleep(0.2)
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},900"]
        session = call("POST", f"{wd}/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"args": args}}}})["sessionId"]
        s = f"{wd}/session/{session}"
        js = lambda script: call("POST", f"{s}/execute/sync", {"script": script, "args": []})
        call("POST", f"{s}/url", {"url": base + "/login"})
        js(f"document.querySelector('input[name=username]').value = {json.dumps(user)};"
           f"document.querySelector('input[name=password]').value = {json.dumps(password)};"
           "document.querySelector(\"form[action='/login']\").submit();")
        time.sleep(1)
        for page in pages:
            path, _, submit = page.partition("!post:")
            call("POST", f"{s}/url", {"url": base + path})
            if submit:
                js(f"document.querySelector({json.dumps(submit)}).click();")
                time.sleep(3)
            height = min(int(js("return document.documentElement.scrollHeight")), 6000)
            call("POST", f"{s}/window/rect", {"width": width, "height": height})
            png = base64.b64decode(call("GET", f"{s}/screenshot"))
            name = (path.strip("/").replace("/", "_") or "home") + ("_after" if submit else "") + f"_{width}.png"
            with open(os.path.join(out, name), "wb") as f:
                f.write(png)
            call("POST", f"{s}/window/rect", {"width": width, "height": 900})
            print(os.path.join(out, name))
        call("DELETE", s)
    finally:
        driver.kill()

main()
