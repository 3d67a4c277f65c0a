"""A stand-in for Twilio's Messages API, for tests, the demo and the benchmarks.

It speaks what the official twilio library speaks: form-encoded creates under
/2010-04-01/Accounts/{Sid}/Messages.json with HTTP basic auth, 201 with the message resource,
errors as {code, message, more_info, status}. It records every message, can be told to fail
(429, 500, 21610, or hang), and posts signed status callbacks like Twilio does: not for the first
status, possibly twice and out of order if told so.

Control (JSON, no auth, 127.0.0.1 only):
  GET  /_fake/messages          every message accepted, oldest first
  GET  /_fake/stats             {accepted, refused, first_at, last_at (epoch seconds), most_calls_in_a_second}
  POST /_fake/behaviour         {"fail": "429"|"500"|"21610"|"hang"|null, "share": 0.3, "opted_out": [...],
                                 "callbacks": ["sent", "delivered"], "duplicate_callbacks": false, "hang_seconds": 30,
                                 "keep": true}
  POST /_fake/reset             forget messages and behaviour
Run: python manage.py fake_twilio --port 8030
"""

import base64
import json
import queue
import random
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from twilio.request_validator import RequestValidator

from notifications.segments import count as segments

API = "/2010-04-01/Accounts/"
ERRORS = {
    "20003": (401, "Authenticate"),
    "20429": (429, "Too Many Requests"),
    "20500": (500, "Internal Server Error"),
    "21211": (400, "The 'To' number is not a valid phone number."),
    "21602": (400, "Message body is required."),
    "21604": (400, "A 'To' phone number is required."),
    "21606": (400, "The 'From' phone number provided is not a valid message-capable Twilio phone number."),
    "21610": (400, "Attempt to send to unsubscribed recipient"),
    "21614": (400, "'To' number is not a valid mobile number"),
}


@dataclass
class Behaviour:
    fail: str | None = None
    share: float = 1.0
    opted_out: set[str] = field(default_factory=set)
    not_mobile: set[str] = field(default_factory=set)
    callbacks: list[str] = field(default_factory=lambda: ["sent", "delivered"])
    duplicate_callbacks: bool = False
    hang_seconds: float = 30.0
    keep: bool = True  # False: count messages without keeping them (a million would not fit)


class FakeTwilio:
    """The state behind the server: accounts, messages, behaviour, callbacks to post."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.validator = RequestValidator(auth_token)
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.forms: list[dict] = []  # every create as received, for contract tests
        self.behaviour = Behaviour()
        self.callbacks: queue.Queue = queue.Queue()
        self.callback_results: list[tuple[str, int]] = []
        self.stats = {"accepted": 0, "refused": 0, "first_at": None, "last_at": None}
        self.calls_per_second: dict[int, int] = {}  # every create, refused or not: the rate a client used

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.forms.clear()
            self.stats.update(accepted=0, refused=0, first_at=None, last_at=None)
            self.calls_per_second.clear()
            self.behaviour = Behaviour()
            self.callback_results.clear()

    def configure(self, settings: dict) -> None:
        with self.lock:
            b = self.behaviour
            for name in ("fail", "share", "callbacks", "duplicate_callbacks", "hang_seconds", "keep"):
                if name in settings:
                    setattr(b, name, settings[name])
            for name in ("opted_out", "not_mobile"):
                if name in settings:
                    setattr(b, name, set(settings[name]))

    def create(self, form: dict[str, str]) -> tuple[int, dict]:
        status, body = self._create(form)
        now = time.time()
        with self.lock:
            self.calls_per_second[int(now)] = self.calls_per_second.get(int(now), 0) + 1
            if status == 201:
                self.stats["accepted"] += 1
                self.stats["first_at"] = self.stats["first_at"] or now
                self.stats["last_at"] = now
            else:
                self.stats["refused"] += 1
        return status, body

    def _create(self, form: dict[str, str]) -> tuple[int, dict]:
        b = self.behaviour
        if b.keep:
            with self.lock:
                self.forms.append(dict(form))
        if b.fail in ("429", "500", "hang") and random.random() < b.share:
            if b.fail == "hang":
                time.sleep(b.hang_seconds)
                return error("20500")
            return error("20429" if b.fail == "429" else "20500")
        to = form.get("To", "")
        if not to:
            return error("21604")
        if not to.startswith("+") or not to[1:].isdigit() or not 8 <= len(to) <= 16:
            return error("21211")
        if not form.get("Body"):
            return error("21602")
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return error("21606")
        if to in b.opted_out or (b.fail == "21610" and random.random() < b.share):
            return error("21610")
        if to in b.not_mobile:
            return error("21614")
        sid = "SM" + secrets.token_hex(16)
        now = formatdate(usegmt=True)
        message = {
            "sid": sid,
            "account_sid": self.account_sid,
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "from": form.get("From"),
            "to": to,
            "body": form["Body"],
            "status": "accepted" if form.get("MessagingServiceSid") else "queued",
            "direction": "outbound-api",
            "num_segments": str(segments(form["Body"]).count),
            "num_media": "0",
            "price": None,
            "price_unit": "GBP",
            "error_code": None,
            "error_message": None,
            "api_version": "2010-04-01",
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "uri": f"{API}{self.account_sid}/Messages/{sid}.json",
            "subresource_uris": {"media": f"{API}{self.account_sid}/Messages/{sid}/Media.json"},
            "status_callback": form.get("StatusCallback"),
        }
        if b.keep:
            with self.lock:
                self.messages.append(message)
        if form.get("StatusCallback"):
            statuses = list(b.callbacks)
            if b.duplicate_callbacks:
                statuses = statuses + statuses[::-1]
            for status in statuses:
                self.callbacks.put((form["StatusCallback"], sid, to, status))
        return 201, {k: v for k, v in message.items() if k != "status_callback"}

    def post_callbacks_forever(self) -> None:
        session = requests.Session()  # one per thread
        session.trust_env = False  # callbacks go to our own site, never through a proxy
        while True:
            url, sid, to, status = self.callbacks.get()
            params = {
                "AccountSid": self.account_sid,
                "MessageSid": sid,
                "SmsSid": sid,
                "MessageStatus": status,
                "SmsStatus": status,
                "To": to,
                "From": "",
                "ApiVersion": "2010-04-01",
            }
            if status in ("failed", "undelivered"):
                params["ErrorCode"] = "30003"
            signature = self.validator.compute_signature(url, params)
            try:
                code = session.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=15).status_code
            except requests.RequestException:
                code = 0
            with self.lock:
                self.callback_results.append((sid, code))


def error(code: str) -> tuple[int, dict]:
    status, message = ERRORS[code]
    return status, {
        "code": int(code),
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without this every keep-alive answer stalls ~40 ms on delayed ACKs (Nagle).
    disable_nagle_algorithm = True
    fake: FakeTwilio

    def log_message(self, *args) -> None:  # the numbers in request lines are personal data
        pass

    def _answer(self, status: int, body: dict | list) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorised(self) -> bool:
        scheme, _, value = (self.headers.get("Authorization") or "").partition(" ")
        if scheme != "Basic":
            return False
        try:
            user, _, password = base64.b64decode(value).decode().partition(":")
        except ValueError:
            return False
        return secrets.compare_digest(user, self.fake.account_sid) and secrets.compare_digest(
            password, self.fake.auth_token
        )

    def _list(self, query: str) -> None:
        """Messages.json, newest first, filtered by To as Twilio does (one page is enough here)."""
        params = urllib.parse.parse_qs(query)
        to = params.get("To", [None])[0]
        size = int(params.get("PageSize", ["50"])[0])
        with self.fake.lock:
            found = [m for m in reversed(self.fake.messages) if to is None or m["to"] == to][:size]
        uri = f"{API}{self.fake.account_sid}/Messages.json"
        page = {
            "first_page_uri": uri,
            "next_page_uri": None,
            "previous_page_uri": None,
            "page": 0,
            "page_size": size,
            "start": 0,
            "end": max(0, len(found) - 1),
            "uri": uri,
        }
        self._answer(200, {"messages": [{k: v for k, v in m.items() if k != "status_callback"} for m in found], **page})

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        path = parts.path
        if path == f"{API}{self.fake.account_sid}/Messages.json":
            if not self._authorised():
                return self._answer(*error("20003"))
            return self._list(parts.query)
        if path == "/_fake/messages":
            with self.fake.lock:
                return self._answer(200, list(self.fake.messages))
        if path == "/_fake/stats":
            with self.fake.lock:
                busiest = max(self.fake.calls_per_second.values(), default=0)
                return self._answer(200, {**self.fake.stats, "most_calls_in_a_second": busiest})
        if path == "/_fake/callbacks":
            with self.fake.lock:
                return self._answer(200, [list(r) for r in self.fake.callback_results])
        return self._answer(404, {"code": 20404, "message": "Not found", "more_info": "", "status": 404})

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        body = self._body()
        if path == "/_fake/behaviour":
            self.fake.configure(json.loads(body or b"{}"))
            return self._answer(200, {"ok": True})
        if path == "/_fake/reset":
            self.fake.reset()
            return self._answer(200, {"ok": True})
        if path == f"{API}{self.fake.account_sid}/Messages.json":
            if not self._authorised():
                return self._answer(*error("20003"))
            form = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
            return self._answer(*self.fake.create(form))
        if path.startswith(API) and path.endswith("/Messages.json"):
            return self._answer(*error("20003"))
        return self._answer(404, {"code": 20404, "message": "Not found", "more_info": "", "status": 404})


def serve(host: str, port: int, account_sid: str, auth_token: str) -> ThreadingHTTPServer:
    """Start the fake in background threads; returns the server (``server_port`` tells the port)."""
    fake = FakeTwilio(account_sid, auth_token)
    handler = type("BoundHandler", (Handler,), {"fake": fake})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.fake = fake
    threading.Thread(target=server.serve_forever, daemon=True, name="fake-twilio").start()
    for _ in range(4):
        threading.Thread(target=fake.post_callbacks_forever, daemon=True, name="fake-twilio-callbacks").start()
    return server
