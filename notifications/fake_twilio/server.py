"""The fake Twilio's HTTP side: a small asyncio server (httptools parses, uvloop runs) in a thread."""

import asyncio
import base64
import gc
import json
import random
import secrets
import threading
import urllib.parse
from http import HTTPStatus
from typing import NamedTuple

import httptools
import uvloop

from notifications.fake_twilio.state import API, FakeTwilio, error


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
    # The loop runs in its own thread from the start, and the server is made there: the calling
    # thread may already run a loop of its own (Playwright's, in a browser test).
    threading.Thread(target=loop.run_forever, daemon=True, name="fake-twilio").start()
    # A deep backlog: a benchmark opens thousands of connections at once. Nothing is logged:
    # request lines would carry numbers, which are personal data.
    server = asyncio.run_coroutine_threadsafe(
        loop.create_server(lambda: Connection(app), host, port, backlog=4096, reuse_address=True), loop
    ).result(timeout=10)
    bound = server.sockets[0].getsockname()[1]
    # Everything loaded so far (Django, the twilio library) lives as long as the process: without
    # this the collector walks it all again and again, a fifth of the fake's time under load.
    gc.freeze()
    for _ in range(4):
        threading.Thread(target=fake.post_callbacks_forever, daemon=True, name="fake-twilio-callbacks").start()
    return Server(fake, loop, server, bound)
