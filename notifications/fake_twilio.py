"""A stand-in for Twilio's Messages API, for tests, the demo and the benchmarks.

It speaks what the official twilio library speaks: form-encoded creates under
/2010-04-01/Accounts/{Sid}/Messages.json with HTTP basic auth, 201 with the message resource,
errors as {code, message, more_info, status}. It records every message, can be told to fail
(429, 500, 21610, or hang), and posts signed status callbacks like Twilio does: not for the first
status, possibly twice and out of order if told so.

It answers in Twilio's time, not at once: ``latency_ms`` with ``jitter_ms`` either side (Twilio
takes ~150 ms over the internet), so a benchmark sees what a real provider makes it wait. It is a
small asyncio server (httptools to parse, uvloop to run), so thousands of creates can be waiting
out their latency at once and each costs little: measured alone it must accept several times what
the pipeline sends, or it, not our code, is the ceiling (bench/fake_alone).

Control (JSON, no auth, 127.0.0.1 only):
  GET  /_fake/messages          every message accepted, oldest first
  GET  /_fake/stats             {accepted, refused, first_at, last_at (epoch seconds), most_calls_in_a_second,
                                 calls_per_second: {second: creates}}
  POST /_fake/behaviour         {"fail": "429"|"500"|"21610"|"hang"|null, "share": 0.3, "opted_out": [...],
                                 "callbacks": ["sent", "delivered"], "duplicate_callbacks": false, "hang_seconds": 30,
                                 "keep": true, "latency_ms": 150, "jitter_ms": 50}
  POST /_fake/reset             forget messages and behaviour (latency stays as started)
Run: python manage.py fake_twilio --port 8030 [--latency-ms 150 --jitter-ms 50]
"""

import asyncio
import base64
import functools
import gc
import json
import queue
import random
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from typing import NamedTuple

import httptools
import requests
import uvloop
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
    latency_ms: float = 0.0
    jitter_ms: float = 0.0


class FakeTwilio:
    """The state behind the server: accounts, messages, behaviour, callbacks to post."""

    def __init__(self, account_sid: str, auth_token: str, latency_ms: float = 0, jitter_ms: float = 0) -> None:
        self.latency = {"latency_ms": latency_ms, "jitter_ms": jitter_ms}
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.validator = RequestValidator(auth_token)
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.forms: list[dict] = []  # every create as received, for contract tests
        self.behaviour = Behaviour(**self.latency)
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
            self.behaviour = Behaviour(**self.latency)
            self.callback_results.clear()

    def configure(self, settings: dict) -> None:
        with self.lock:
            b = self.behaviour
            plain = ("fail", "share", "callbacks", "duplicate_callbacks", "hang_seconds", "keep", "latency_ms")
            for name in (*plain, "jitter_ms"):
                if name in settings:
                    setattr(b, name, settings[name])
            for name in ("opted_out", "not_mobile"):
                if name in settings:
                    setattr(b, name, set(settings[name]))

    def hangs(self) -> bool:
        b = self.behaviour
        return b.fail == "hang" and random.random() < b.share

    def create(self, form: dict[str, str]) -> tuple[int, dict]:
        return self.count(self._create(form))

    def arrived(self) -> None:
        """A create reached us: counted in the second it arrived, as Twilio counts a rate, not the
        second its answer leaves after the latency."""
        second = int(time.time())
        with self.lock:
            self.calls_per_second[second] = self.calls_per_second.get(second, 0) + 1

    def count(self, result: tuple[int, dict]) -> tuple[int, dict]:
        status = result[0]
        now = time.time()
        with self.lock:
            if status == 201:
                self.stats["accepted"] += 1
                self.stats["first_at"] = self.stats["first_at"] or now
                self.stats["last_at"] = now
            else:
                self.stats["refused"] += 1
        return result

    def _create(self, form: dict[str, str]) -> tuple[int, dict]:
        b = self.behaviour
        if b.keep:
            with self.lock:
                self.forms.append(dict(form))
        if b.fail in ("429", "500") and random.random() < b.share:
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
        now = _http_date(int(time.time()))
        message = {
            "sid": sid,
            "account_sid": self.account_sid,
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "from": form.get("From"),
            "to": to,
            "body": form["Body"],
            "status": "accepted" if form.get("MessagingServiceSid") else "queued",
            "direction": "outbound-api",
            "num_segments": _segments(form["Body"]),
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


# Both the same for every create in a second, or of the same text: worked out once, not thousands of times.
@functools.lru_cache(maxsize=2)
def _http_date(second: int) -> str:
    return formatdate(second, usegmt=True)


@functools.lru_cache(maxsize=64)
def _segments(body: str) -> str:
    return str(segments(body).count)


def error(code: str) -> tuple[int, dict]:
    status, message = ERRORS[code]
    return status, {
        "code": int(code),
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class Held(NamedTuple):
    """An answer, and how long to hold it before it leaves."""

    seconds: float
    status: int
    content: dict | list


class App:
    """What each request gets, over a FakeTwilio (no framework: every microsecond spent here is
    one a benchmark could mistake for ours)."""

    def __init__(self, fake: FakeTwilio) -> None:
        self.fake = fake
        self.messages_path = f"{API}{fake.account_sid}/Messages.json"
        credentials = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
        self.expected_auth = f"Basic {credentials}".encode()

    def _latency(self) -> float:
        b = self.fake.behaviour
        if not (b.latency_ms or b.jitter_ms):
            return 0.0
        return max(0.0, b.latency_ms + random.uniform(-b.jitter_ms, b.jitter_ms)) / 1000

    def _messages(self, method: str, query: str, authorization: bytes, body: bytes):
        fake, delay = self.fake, self._latency()
        if method == "POST":
            fake.arrived()
        if not secrets.compare_digest(authorization, self.expected_auth):
            return Held(delay, *error("20003"))
        if method == "GET":
            return Held(delay, 200, self._list({k: v[-1] for k, v in urllib.parse.parse_qs(query).items()}))
        if fake.hangs():
            return Held(fake.behaviour.hang_seconds, *fake.count(error("20500")))
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
        return Held(delay, *fake.create(form))

    def _list(self, query: dict[str, str]) -> dict:
        """Messages.json, newest first, filtered by To as Twilio does (one page is enough here)."""
        to = query.get("To")
        size = int(query.get("PageSize", "50"))
        with self.fake.lock:
            found = [m for m in reversed(self.fake.messages) if to is None or m["to"] == to][:size]
        uri = f"{API}{self.fake.account_sid}/Messages.json"
        return {
            "messages": [{k: v for k, v in m.items() if k != "status_callback"} for m in found],
            "first_page_uri": uri,
            "next_page_uri": None,
            "previous_page_uri": None,
            "page": 0,
            "page_size": size,
            "start": 0,
            "end": max(0, len(found) - 1),
            "uri": uri,
        }

    def route(self, method: str, path: str, query: str, authorization: bytes, body: bytes) -> tuple:
        """(seconds to hold the answer, status, content). Worked out when the request arrives, as
        Twilio creates a message when it takes the request; the answer waits out the latency."""
        found = self._route(method, path, query, authorization, body)
        return found if isinstance(found, Held) else Held(0.0, *found)

    def _route(self, method: str, path: str, query: str, authorization: bytes, body: bytes):
        fake = self.fake
        if path == self.messages_path:
            return self._messages(method, query, authorization, body)
        if method == "POST" and path.startswith(API) and path.endswith("/Messages.json"):
            return error("20003")
        if path == "/_fake/messages":
            with fake.lock:
                return 200, list(fake.messages)
        if path == "/_fake/stats":
            with fake.lock:
                busiest = max(fake.calls_per_second.values(), default=0)
                per_second = {str(k): v for k, v in sorted(fake.calls_per_second.items())}
                return 200, {**fake.stats, "most_calls_in_a_second": busiest, "calls_per_second": per_second}
        if path == "/_fake/callbacks":
            with fake.lock:
                return 200, [list(r) for r in fake.callback_results]
        if method == "POST" and path == "/_fake/behaviour":
            fake.configure(json.loads(body or b"{}"))
            return 200, {"ok": True}
        if method == "POST" and path == "/_fake/reset":
            fake.reset()
            return 200, {"ok": True}
        return 404, {"code": 20404, "message": "Not found", "more_info": "", "status": 404}


CLOSE = "Connection: close\r\n"


class Connection(asyncio.Protocol):
    """One client connection: HTTP/1.1 with keep-alive, parsed by httptools (the parser uvicorn
    uses). Each answer leaves in one write. Requests on a connection are answered as they finish,
    which is right for clients that wait for each answer before the next request (the twilio
    library, aiohttp, requests, wrk); a client that pipelines would need them in order."""

    MAX_BODY = 64 * 1024

    def __init__(self, app: App) -> None:
        self.app = app
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.url, self.authorization, self.body = b"", b"", bytearray()

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.transport.close()

    def on_message_begin(self) -> None:
        self.url, self.authorization, self.body = b"", b"", bytearray()

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"authorization":
            self.authorization = value

    def on_body(self, body: bytes) -> None:
        self.body += body
        if len(self.body) > self.MAX_BODY:
            self.transport.close()

    def on_message_complete(self) -> None:
        method = self.parser.get_method().decode()
        keep_alive = self.parser.should_keep_alive()
        url = httptools.parse_url(self.url)
        path, query = url.path.decode(), (url.query or b"").decode()
        held = self.app.route(method, path, query, self.authorization, bytes(self.body))
        data = json.dumps(held.content).encode()
        head = (
            f"HTTP/1.1 {held.status} {HTTPStatus(held.status).phrase}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n{'' if keep_alive else CLOSE}\r\n"
        )
        # A timer, not a task per request: thousands wait out their latency at once, cheaply.
        if held.seconds:
            asyncio.get_running_loop().call_later(held.seconds, self.send, head.encode() + data, keep_alive)
        else:
            self.send(head.encode() + data, keep_alive)

    def send(self, answer: bytes, keep_alive: bool) -> None:
        if self.transport.is_closing():
            return
        self.transport.write(answer)
        if not keep_alive:
            self.transport.close()


class Server:
    """The fake running on its own event loop (uvloop) in a background thread."""

    def __init__(self, fake: FakeTwilio, loop: asyncio.AbstractEventLoop, server: asyncio.Server, port: int) -> None:
        self.fake, self.loop, self.server, self.server_port = fake, loop, server, port

    def shutdown(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)


def serve(
    host: str, port: int, account_sid: str, auth_token: str, latency_ms: float = 0, jitter_ms: float = 0
) -> Server:
    """Start the fake in background threads; returns the server (``server_port`` tells the port)."""
    fake = FakeTwilio(account_sid, auth_token, latency_ms, jitter_ms)
    app = App(fake)
    loop = uvloop.new_event_loop()
    # A deep backlog: a benchmark opens thousands of connections at once. Nothing is logged:
    # request lines would carry numbers, which are personal data.
    server = loop.run_until_complete(
        loop.create_server(lambda: Connection(app), host, port, backlog=4096, reuse_address=True)
    )
    bound = server.sockets[0].getsockname()[1]
    # Everything loaded so far (Django, the twilio library) lives as long as the process: without
    # this the collector walks it all again and again, a fifth of the fake's time under load.
    gc.freeze()
    threading.Thread(target=loop.run_forever, daemon=True, name="fake-twilio").start()
    for _ in range(4):
        threading.Thread(target=fake.post_callbacks_forever, daemon=True, name="fake-twilio-callbacks").start()
    return Server(fake, loop, server, bound)
