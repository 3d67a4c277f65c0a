"""Every HTTP call out of the process: one total deadline (connecting, sending, the headers and the
body together), at most MAX_BYTES read from any answer, and a connection pool per purpose.

A per-read timeout is not a deadline: a server sending one byte every few seconds satisfies it
forever. Here ``asyncio.timeout`` bounds the whole exchange, and the body is read into a
fixed-size buffer and the connection closed when it is full, so a stranger answering 300 MB
costs us 64 KB.
"""

import asyncio
import atexit
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import aiohttp

MAX_BYTES = 64 * 1024


class Unreachable(Exception):
    """No answer: refused, reset, a name that does not resolve, or the deadline passed.
    The message names what happened, never the request's contents."""

    def __init__(self, reason: str, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.timed_out = timed_out


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    # True when the answer was longer than the cap: ``body`` holds only its first MAX_BYTES.
    truncated: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


# This process's pools, one per purpose; a forked child makes its own (the key holds the pid).
_pools: dict[tuple[str, int, int], tuple[aiohttp.ClientSession, asyncio.AbstractEventLoop]] = {}


@atexit.register
def _close_all() -> None:
    # Closed politely on the way out, rather than complained about by the garbage collector.
    for session, running in _pools.values():
        if not session.closed and running.is_running():
            try:
                asyncio.run_coroutine_threadsafe(session.close(), running).result(timeout=2)
            except Exception:  # noqa: S110 -- the process is ending either way
                pass


def pool(purpose: str, size: int) -> aiohttp.ClientSession:
    """This process's connection pool for one purpose ("twilio", "webhooks", "pulls"), holding at
    most ``size`` connections; a call past that waits for one, inside its own deadline. Called in
    a coroutine on the loop that will use it (common.loop)."""
    key = (purpose, size, os.getpid())
    found = _pools.get(key)
    if found is None or found[0].closed:
        connector = aiohttp.TCPConnector(limit=size, limit_per_host=size, ttl_dns_cache=60, enable_cleanup_closed=True)
        # No proxy from the environment, and no transparent decompression: a small gzip can
        # inflate to gigabytes, and the cap must count what we hold, not what crossed the wire.
        session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=None),
            trust_env=False,
            auto_decompress=False,
            skip_auto_headers=("Accept-Encoding",),
        )
        found = _pools[key] = (session, asyncio.get_running_loop())
    return found[0]


async def _read(response: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
    if response.content_length is not None and response.content_length <= limit:
        return await response.read(), False  # a declared length within the cap: read exactly that
    buffer = bytearray()
    while len(buffer) <= limit:
        chunk = await response.content.read(limit + 1 - len(buffer))
        if not chunk:
            return bytes(buffer), False
        buffer += chunk
    return bytes(buffer[:limit]), True


async def request(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    deadline: float,
    data=None,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
    limit: int = MAX_BYTES,
) -> Answer:
    """One call, over within ``deadline`` seconds whatever the other side does."""
    try:
        async with asyncio.timeout(deadline):
            async with session.request(
                method, url, data=data, headers=headers, params=params, allow_redirects=False
            ) as response:
                body, truncated = await _read(response, limit)
                if truncated:
                    # Whatever is left stays unread: closing drops the connection instead.
                    response.close()
                return Answer(response.status, body, truncated, response.headers)
    except TimeoutError:
        raise Unreachable(f"no complete answer within {deadline:g} s", timed_out=True) from None
    except (aiohttp.ClientError, OSError, ValueError) as e:
        raise Unreachable(f"could not connect ({type(e).__name__})") from None
