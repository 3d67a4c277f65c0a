"""make production-check: start the production layout on this machine and check it end to end.

    .venv/bin/python -m deploy.production.check [--keep]

Exits non-zero on the first failure, with the logs of every process under var/production-check/logs.
"""

import argparse
import re
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

import requests

from config.celery import app
from demo import simulator
from deploy.production.layout import PYTHON, ROLES, ROOT, Layout

BROKER = simulator.REPLAY_2016
# Headers nginx sets itself on a file (or the application on every answer): not the page's own.
TRANSPORT = {"date", "etag", "last-modified", "content-length", "server", "connection", "accept-ranges", "keep-alive"}
TRANSPORT |= {"set-cookie", "content-encoding", "transfer-encoding", "x-request-id"}


class Failed(Exception):
    pass


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)
    print(f"  ok  {what}", flush=True)


class Check:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.site = layout.site
        self.http = requests.Session()
        self.http.trust_env = False
        self.figures: dict[str, str] = {}
        # What must never appear in a log line, by what it is.
        self.secrets: dict[str, list[str]] = {}

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.site + path, timeout=10, **kwargs)

    # --- each check -----------------------------------------------------------------------------
    def everything_started(self) -> None:
        self.http.verify = str(self.layout.cert)
        self.layout.wait_until("the site through nginx", lambda: self.get("/healthz").status_code == 200)
        self.layout.wait_until("every worker pool and beat", self._pools_beating, timeout=90, every=1)
        expect(not self.layout.dead(), "nginx, gunicorn, every worker pool, beat, the fake Twilio and SMTP run")

    def _pools_beating(self) -> bool:
        answer = self.http.get(self.site + "/healthz/pipeline", timeout=10)
        return answer.status_code == 200

    def deploy_checks_clean(self) -> None:
        done = subprocess.run(
            [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=self.layout.env(),
            capture_output=True,
            text=True,
        )
        expect(done.returncode == 0, f"manage.py check --deploy is clean{'' if not done.returncode else done.stderr}")

    def public_pages_from_disk(self) -> None:
        page = self.get("/")
        expect(page.status_code == 200 and "X-Request-Id" not in page.headers, "/ is served by nginx from the snapshot")
        from_app = self.get("/?from=application")
        expect(from_app.status_code == 200, "/ with a query string is served by the application")
        ours = {k.lower(): v for k, v in page.headers.items() if k.lower() not in TRANSPORT}
        theirs = {k.lower(): v for k, v in from_app.headers.items() if k.lower() not in TRANSPORT}
        differ = {k: (ours.get(k), theirs.get(k)) for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k)}
        expect(not differ, f"a page from disk has the application's headers{'' if not differ else f': {differ}'}")
        live = self.get("/", headers={"HX-Request": "true"})
        expect(live.status_code == 200 and "<html" not in live.text, "htmx's refresh of / is served from disk too")
        hidden = self.get("/.version")
        expect(hidden.status_code == 404, "the snapshot's own files are not served")
        plain = self.http.get(f"http://localhost:{self.layout.http_port}/", allow_redirects=False, timeout=10)
        expect(plain.status_code == 301 and plain.headers["Location"].startswith("https://"), "http:// redirects")

    def console_cookies_are_secure(self) -> None:
        page = self.get("/console/sign-in/")
        csrf = page.cookies.get("csrftoken")
        expect(csrf is not None and self._secure(page, "csrftoken"), "the console's CSRF cookie is Secure")
        username, password = "check-publisher", f"pw-{uuid.uuid4().hex}"
        code = self.layout.manage(
            "shell",
            "-c",
            "from console import staff; from console.models import Role; "
            f"u = staff.create_enrolled({username!r}, 'check@example.nhs.uk', Role.PUBLISHER, {password!r}); "
            "print(u.authenticator_set.get().code_now())",
        ).split()[-1]
        signed_in = self.http.post(
            self.site + "/console/sign-in/",
            data={"username": username, "password": password, "code": code, "csrfmiddlewaretoken": csrf},
            headers={"Referer": self.site + "/console/sign-in/"},
            allow_redirects=False,
            timeout=10,
        )
        summary = re.search(r"nhsuk-error-summary.*?</div>", signed_in.text, re.S)
        expect(
            signed_in.status_code == 302,
            f"a member signs in through nginx over https{'' if not summary else summary.group(0)}",
        )
        expect(
            self._secure(signed_in, "sessionid", http_only=True), "the console's session cookie is Secure and HttpOnly"
        )
        self.secrets["console password and code"] = [password, code]
        self.secrets["session and CSRF cookies"] = [csrf, signed_in.cookies.get("sessionid") or "-"]
        # A link that is a key, refused: Django logs the 404 with the request itself on the record.
        key = f"eyJzIjo5OTl9:{uuid.uuid4().hex}"
        expect(self.get(f"/subscribe/manage/{key}/").status_code == 404, "a forged manage link is refused")
        self.secrets["keys in links"] = [key.split(":")[1]]

    @staticmethod
    def _secure(response: requests.Response, name: str, http_only: bool = False) -> bool:
        for header in response.raw.headers.getlist("Set-Cookie"):
            if header.startswith(f"{name}="):
                flags = {f.strip().split("=")[0].lower() for f in header.split(";")[1:]}
                return "secure" in flags and (not http_only or "httponly" in flags)
        return False

    def failing_broker_reaches_a_patient(self) -> None:
        token = self.layout.manage("broker_token", BROKER).split()[-1]
        self.secrets["broker token"] = [token]
        summary = self.get("/api/v2/summary.json").json()
        before = {c["name"]: c["status"] for c in summary["components"]}
        started = time.monotonic()

        def failing() -> dict | None:
            doc = simulator.failing(60.0, datetime.now().astimezone(), None)  # type: ignore[arg-type]
            answer = self.http.post(
                self.site + "/api/v1/probes",
                json=doc,
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
                timeout=10,
            )
            if answer.status_code != 202:
                raise Failed(f"a probe through nginx was refused: {answer.status_code} {answer.text[:200]}")
            now = self.get("/api/v2/summary.json").json()
            moved = [c for c in now["components"] if before.get(c["name"]) != c["status"]]
            return now if moved else None

        summary = self.layout.wait_until("the broker's failure on the public status", failing, timeout=120, every=2)
        expect(
            summary is not None,
            f"a failing broker shows on /api/v2/summary.json through nginx ({time.monotonic() - started:.0f} s)",
        )
        self._visible_within(summary)
        incidents = self.layout.wait_until(
            "a holding notice", lambda: self.get("/api/v2/incidents/unresolved.json").json()["incidents"], timeout=120
        )
        expect(bool(incidents), f"a holding notice is published by itself ({incidents[0]['name']!r})")
        fake = f"http://127.0.0.1:{self.layout.twilio_port}"
        texts = self.layout.wait_until(
            "a text at the fake Twilio", lambda: requests.get(fake + "/_fake/messages", timeout=5).json(), timeout=120
        )
        expect(bool(texts), f"the followers are texted ({len(texts)} at the fake Twilio so far)")
        receipts = self.layout.wait_until(
            "status callbacks", lambda: requests.get(fake + "/_fake/callbacks", timeout=5).json(), timeout=60
        )
        codes = {code for _, code in receipts}
        expect(codes == {204}, f"Twilio's signed receipts are accepted through nginx on https (answers {codes})")
        delivered = self.layout.manage(
            "shell",
            "-c",
            "from notifications.models import Delivery; print(Delivery.objects.filter(state='delivered').count())",
        ).split()[-1]
        expect(int(delivered) > 0, f"their receipts are recorded ({delivered} texts delivered)")

    def _visible_within(self, summary: dict) -> None:
        """A change is on the page nginx serves within seconds: the snapshot is rewritten on each change."""
        updated = max(datetime.fromisoformat(c["updated_at"]).timestamp() for c in summary["components"])
        page = self.layout.wait_until(
            "the changed page on disk", lambda: self.get("/") if self._page_shows_change() else None, timeout=30
        )
        seen = time.time()
        expect(
            page.status_code == 200, f"the changed home page is served by nginx {seen - updated:.1f} s after the change"
        )
        self.figures["change visible through nginx"] = f"{seen - updated:.1f} s"

    def _page_shows_change(self) -> bool:
        return 'data-state="ok"' not in self.get("/").text

    def metrics_are_internal(self) -> None:
        expect(self.get("/metrics").status_code == 404, "/metrics is not served through the public edge")
        direct = f"http://127.0.0.1:{self.layout.app_port}/metrics"
        refused = requests.get(direct, timeout=10)
        expect(refused.status_code in (401, 403), "/metrics on the internal bind refuses a scrape without the token")
        text = requests.get(direct, headers={"Authorization": f"Bearer {self.layout.metrics_token}"}, timeout=10).text
        for name in (
            "eps_probes_received_total",
            "eps_broker_status",
            "eps_snapshot_age_seconds",
            "eps_messages_sent_total",
        ):
            expect(re.search(rf"^{name}\b", text, re.M) is not None, f"/metrics has {name}")

    def nothing_personal_in_any_log(self) -> None:
        """Every process logged at DEBUG through the whole alert path; none of it may name anyone."""
        people = self.layout.manage(
            "shell",
            "-c",
            "from notifications.models import Subscriber\nfor s in Subscriber.objects.all(): print(s.address)",
        ).split()
        numbers = [p for p in people if p.startswith("+")]
        self.secrets["phone numbers"] = numbers + [n.replace("+44", "0", 1) for n in numbers]
        self.secrets["email addresses"] = [p for p in people if "@" in p]
        self.secrets["keys and tokens"] = [
            self.layout.secret_key,
            self.layout.personal_key,
            self.layout.auth_token,
            self.layout.metrics_token,
        ]
        # Ours: nginx and every role. The fake Twilio and the mail server stand for other people's systems.
        theirs = {"twilio.log", "smtp.log"}
        logs = {p.name: p.read_text(errors="replace") for p in self.layout.logs.glob("*.log") if p.name not in theirs}
        lines = sum(text.count("\n") for text in logs.values())
        quiet = [role for role in ROLES if '"level": "DEBUG"' not in logs.get(f"{role}.log", "")]
        expect(not quiet, f"every role logged at DEBUG, in JSON ({lines} lines in all){'' if not quiet else quiet}")
        for what, values in self.secrets.items():
            found = [(name, v) for v in values if v for name, text in logs.items() if v in text]
            expect(not found, f"no {what} in any log line ({len(values)} checked){'' if not found else f': {found}'}")
        call = re.search(r'"request_id": "([0-9a-f-]{32,36})"[^\n]*twilio POST', logs.get("sends.log", ""))
        expect(call is not None, "a provider call's log line carries a request id")
        origin = [name for name, text in logs.items() if name != "sends.log" and call and call.group(1) in text]
        expect(bool(origin), f"the same id is on the log lines of the work that led to it ({', '.join(origin)})")

    def public_pages_without_gunicorn(self) -> None:
        self.layout.stop("web")
        for path in ("/", "/cy/", "/api/v2/summary.json"):
            answer = self.get(path)
            expect(answer.status_code == 200, f"{path} answers 200 from nginx with gunicorn stopped")
        refused = self.http.post(self.site + "/api/v1/probes", json={}, timeout=10)
        expect(
            refused.status_code == 503 and refused.headers["Content-Type"] == "application/problem+json",
            "a probe with gunicorn stopped is told 503 in JSON, to send again",
        )

    def two_beats_send_each_task_once(self, seconds: float = 35) -> None:
        first = self.layout.log("beat")
        self.layout.start_role("beat", name="second-beat", BEAT_SCHEDULE_FILE=str(self.layout.work / "second-beat"))
        offset = len(first)
        time.sleep(seconds)
        self.layout.stop("second-beat")
        one, two = self.layout.log("beat")[offset:], self.layout.log("second-beat")
        sent_one, sent_two = _sent(one), _sent(two)
        skipped = len(re.findall(r"was sent by another beat", one + two))
        expect(skipped > 0, f"the second beat found tasks already sent ({skipped} skipped)")
        for task in set(sent_one) | set(sent_two):
            both = sorted(sent_one.get(task, []) + sent_two.get(task, []))
            if _interval(task) and len(both) > seconds / _interval(task) + 2:
                raise Failed(f"{task} was sent {len(both)} times in {seconds:g} s by two beats")
        expect(
            True,
            f"two beats sent each periodic task once per interval ({sum(map(len, sent_one.values()))} + "
            f"{sum(map(len, sent_two.values()))} sends, {skipped} skipped)",
        )


def _sent(log: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in log.splitlines():
        match = re.search(r"Sending due task (\S+)", line)
        if match:
            found.setdefault(match.group(1), []).append(line)
    return found


def _interval(task: str) -> float:
    entry = app.conf.beat_schedule.get(task)
    return float(entry["schedule"]) if entry else 0.0


def _wait_for_interrupt() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="leave everything running (Ctrl-C stops it)")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "production-check")
    options = parser.parse_args()
    layout = Layout(options.work)
    check = Check(layout)
    # Stopped from outside (CI's timeout, kill): everything it started is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    print(f"Production check in {options.work} (logs in {options.work / 'logs'})", flush=True)
    try:
        layout.prepare()
        layout.start_all()
        check.everything_started()
        check.deploy_checks_clean()
        check.public_pages_from_disk()
        check.console_cookies_are_secure()
        check.failing_broker_reaches_a_patient()
        check.metrics_are_internal()
        check.two_beats_send_each_task_once()
        check.nothing_personal_in_any_log()
        check.public_pages_without_gunicorn()
        if options.keep:
            print(f"Running at {layout.site}/ ; Ctrl-C stops it.", flush=True)
            _wait_for_interrupt()
    except (Failed, TimeoutError, RuntimeError, requests.RequestException) as problem:
        print(f"FAILED: {problem}", file=sys.stderr)
        for name in sorted(p.stem for p in layout.logs.glob("*.log")):
            print(f"--- {name} (last lines)\n{layout.log(name)[-3000:]}", file=sys.stderr)
        if options.keep:
            print(f"Left running at {layout.site}/ to look into; Ctrl-C stops it.", flush=True)
            _wait_for_interrupt()
        return 1
    finally:
        layout.stop_all()
    print(f"Production check passed in {time.monotonic() - started:.0f} s.", flush=True)
    for what, figure in check.figures.items():
        print(f"  {what}: {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
