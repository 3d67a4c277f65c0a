"""From a broker failing to the first patient text, with an operator acting promptly in the console.

The whole system on PostgreSQL + Redis (gunicorn, Celery worker and beat, the fake Twilio) at
default settings, the demo's subscribers, and the simulator posting every 10 s (its default). A
scripted operator in Chromium has the dashboard open, as ops on shift would: the dashboard
refreshes itself every 10 s; when the probe-opened draft appears the operator opens it, saves it,
looks at the preview and publishes. Run by bench/console.
"""

import base64
import os
import re
import subprocess
import sys
import time

import requests
from django_otp.oath import totp
from playwright.sync_api import sync_playwright

from bench import stack

PORT = int(os.environ.get("WEB_PORT", "8240"))
TWILIO_PORT = int(os.environ.get("FAKE_TWILIO_PORT", "8241"))
BROKER = "cegedim-pharmacy-manager-england"  # the demo pharmacy FW844's system
AFTER = 20.0
DATABASE = "eps_status_console"
ENV = stack.environment(
    DATABASE,
    5,
    PORT,
    TWILIO_ACCOUNT_SID="AC" + "0" * 32,
    TWILIO_AUTH_TOKEN="bench-auth-token",
    TWILIO_MESSAGING_SERVICE_SID="MG" + "0" * 32,
    TWILIO_API_BASE_URL=f"http://127.0.0.1:{TWILIO_PORT}",
)
BASE = f"http://127.0.0.1:{PORT}"


def create_operator() -> tuple[str, bytes]:
    out = subprocess.run(
        [stack.PY, "manage.py", "create_staff", "ops", "--role", "publisher"],
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    password = re.search(r"password:\s+(\S+)", out).group(1)
    key = base64.b32decode(re.search(r"authenticator key:\s+(\S+)", out).group(1))
    return password, key


def texts_about(code: str) -> int:
    """Texts the fake Twilio has accepted that link to this incident (the demo's own planned
    maintenance may be texting people too)."""
    found = requests.get(f"http://127.0.0.1:{TWILIO_PORT}/_fake/messages", timeout=5).json()
    return sum(f"/i/{code}" in m["body"] for m in found)


def main() -> None:
    stack.fresh_database(ENV, DATABASE, 5)
    password, key = create_operator()
    procs = stack.start(ENV, PORT, TWILIO_PORT)
    marks: dict[str, float] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(BASE + "/console/")
            page.get_by_label("Username").fill("ops")
            page.get_by_label("Password").fill(password)
            page.get_by_label("Code from your authenticator app").fill(f"{totp(key):06d}")
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("heading", name="Dashboard").wait_for()

            procs.append(stack.simulate(ENV, PORT, "failing", AFTER, 10.0, [BROKER]))
            marks["failing"] = time.time() + AFTER

            draft = page.locator(".console-drafts a").first
            draft.wait_for(timeout=180_000)  # brought in by the dashboard's own 10-second refresh
            marks["draft seen"] = time.time()
            draft.click()
            page.get_by_role("button", name="Save and preview").click()
            page.locator("#publish").wait_for()
            marks["preview"] = time.time()
            page.locator("#publish").click()
            page.get_by_role("heading", name="Texts and emails").wait_for()
            marks["published"] = time.time()
            code = re.search(r"/console/incidents/([^/]+)/", page.url).group(1)
            deadline = time.time() + 120
            while time.time() < deadline:
                if texts_about(code):
                    marks["first text"] = time.time()  # seen by polling every 0.1 s
                    break
                time.sleep(0.1)
            browser.close()
        began = marks["failing"]
        print("| step | seconds after the broker began failing |")
        print("|---|---:|")
        for name, at in marks.items():
            print(f"| {name} | {at - began:.1f} |")
        if "first text" not in marks:
            print("\nNo text reached the fake Twilio within 2 minutes of publishing.")
            return 1
        print(f"\nFailing to first patient text: {marks['first text'] - began:.1f} s (target: under 120 s)")
        return 0
    finally:
        stack.stop(procs)


if __name__ == "__main__":
    sys.exit(main())
