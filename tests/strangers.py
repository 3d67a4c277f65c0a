"""Slow and greedy strangers on 127.0.0.1, for tests and drills: HTTP servers that answer every
request the way a careless or hostile integrator, supplier or provider might.

  trickle  - reads the request, then sends a valid answer one byte every ``interval`` seconds:
             every read finishes well within any per-read timeout, the whole answer never does
  huge     - answers 200 with a body of ``size`` bytes (300 MB by default), as fast as it can
  hang     - reads the request and never answers
  drip     - like trickle, but speaks first without waiting for a request (as an SMTP server greets)

Run alone for a drill: python -m tests.strangers trickle 8300 [--interval 8]
"""

import argparse
import socket
import threading
import time

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


def _read_request(conn: socket.socket) -> None:
    conn.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk


def _trickle(conn: socket.socket, interval: float, **_) -> None:
    for byte in ANSWER:
        conn.sendall(bytes([byte]))
        time.sleep(interval)


def _huge(conn: socket.socket, size: int, **_) -> None:
    conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n".encode())
    block = b" " * 65536
    sent = 0
    while sent < size:
        conn.sendall(block[: size - sent])
        sent += len(block)


def _hang(conn: socket.socket, **_) -> None:
    time.sleep(3600)


KINDS = {"trickle": _trickle, "huge": _huge, "hang": _hang, "drip": _trickle}


class Stranger:
    def __init__(self, kind: str, port: int = 0, interval: float = 1.0, size: int = 300 * 1024 * 1024) -> None:
        self.kind, self.options = kind, {"interval": interval, "size": size}
        self.sock = socket.create_server(("127.0.0.1", port), backlog=128)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests = 0
        # Set when a caller closed the connection before the answer was complete: it gave up in time.
        self.cut_off = False
        self.stopped = False

    def _serve_one(self, conn: socket.socket) -> None:
        with conn:
            try:
                if self.kind != "drip":
                    _read_request(conn)
                self.requests += 1
                KINDS[self.kind](conn, **self.options)
            except OSError:
                self.cut_off = True  # the caller gave up on us, as it should

    def was_cut_off(self, within: float = 10.0) -> bool:
        """Whether a caller closed the connection before the answer was complete (seen within a moment)."""
        until = time.monotonic() + within
        while not self.cut_off and time.monotonic() < until:
            time.sleep(0.05)
        return self.cut_off

    def serve_forever(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve_one, args=(conn,), daemon=True).start()

    def start(self) -> "Stranger":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopped = True
        self.sock.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("port", type=int)
    parser.add_argument("--interval", type=float, default=8.0)
    parser.add_argument("--size", type=int, default=300 * 1024 * 1024)
    args = parser.parse_args()
    Stranger(args.kind, args.port, args.interval, args.size).serve_forever()
