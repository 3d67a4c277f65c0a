"""A real HTTP receiver on 127.0.0.1 standing in for an integrator's endpoint."""

import http.server
import json
import threading

import pytest

from integrations import endpoints


class Receiver:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.answers: list[int] = []  # status codes to give, in turn; then 204

    def handler(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "json": json.loads(body)})
                self.send_response(receiver.answers.pop(0) if receiver.answers else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def receiver():
    r = Receiver()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), r.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    r.url = f"http://127.0.0.1:{server.server_port}/hooks/eps"
    yield r
    server.shutdown()
    server.server_close()


@pytest.fixture
def hook(receiver, settings):
    """An active endpoint following everything, and its secret."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint, secret = endpoints.register(receiver.url, "integrator@example.org")
    endpoints.confirm(endpoint)
    endpoint.refresh_from_db()
    return endpoint, secret
