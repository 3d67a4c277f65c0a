"""Every HTTP call out of the process: one total deadline (connecting, sending, the headers and the
body together), at most MAX_BYTES read from any answer, and a connection pool per purpose.

A per-read timeout is not a deadline: a server sending one byte every few seconds satisfies it
forever. Here ``asyncio.timeout`` bounds the whole exchange, and the body is read into a
fixed-size buffer and the connection closed when it is full, so a stranger answering 300 MB
costs us 64 KB.
"""

import asyncio
import atexit
import ipaddress
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from common import addresses, loop

MAX_BYTES = 64 * 1024
# Checking a name a user typed into a form: it resolves within this long, or is refused.
LOOKUP_SECONDS = 5.0


class Forbidden(OSError):
    """The host resolved only to addresses we will not call (common.addresses)."""


class GuardedResolver(AbstractResolver):
    """Resolves a name once and hands the connector only the addresses that pass the policy, so
    the address checked is the address connected to: a name that answers 1.2.3.4 to a check and
    127.0.0.1 to the connection (DNS rebinding) never reaches 127.0.0.1. TLS still verifies the
    certificate against the host name."""

    def __init__(self, allowed: tuple[addresses.Network, ...]) -> None:
        self.allowed = allowed

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        # The system resolver in a thread, as check_host uses: the same answers for both.
        infos = await asyncio.to_thread(socket.getaddrinfo, host, port, family, socket.SOCK_STREAM)
        fit: list[ResolveResult] = [
            {
                "hostname": host,
                "host": str(sockaddr[0]),
                "port": int(sockaddr[1]),
                "family": af,
                "proto": proto,
                "flags": socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            }
            for af, _, proto, _, sockaddr in infos
            if not addresses.refused(str(sockaddr[0]), self.allowed)
        ]
        if not fit:
            raise Forbidden(f"{host} {addresses.NOT_PUBLIC}")
        return fit

    async def close(self) -> None:
        pass


class Unreachable(Exception):
    """No answer: refused, reset, a name that does not resolve, or the deadline passed.
    The message names what happened, never the request's contents."""

    def __init__(self, reason: str, timed_out: bool = False, forbidden: bool = False) -> None:
        super().__init__(reason)
        self.timed_out = timed_out
        # The address is one we will not call (common.addresses): nothing was sent.
        self.forbidden = forbidden


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
_pools: dict[
    tuple[str, int, tuple[addresses.Network, ...] | None, int], tuple[aiohttp.ClientSession, asyncio.AbstractEventLoop]
] = {}
# The address policy of each guarded pool (by session), for hosts written as an address, which the
# connector never gives to a resolver.
_policies: dict[int, tuple[addresses.Network, ...]] = {}


@atexit.register
def _close_all() -> None:
    # Closed politely on the way out, rather than complained about by the garbage collector.
    for session, running in _pools.values():
        if not session.closed and running.is_running():
            try:
                asyncio.run_coroutine_threadsafe(session.close(), running).result(timeout=2)
            except Exception:  # noqa: S110 -- the process is ending either way
                pass


def pool(purpose: str, size: int, guard: tuple[addresses.Network, ...] | None = None) -> aiohttp.ClientSession:
    """This process's connection pool for one purpose ("twilio", "webhooks", "pulls"), holding at
    most ``size`` connections; a call past that waits for one, inside its own deadline. Called in
    a coroutine on the loop that will use it (common.loop).

    A pool for addresses that users choose (webhooks, pull probes) passes ``guard``: it then
    connects only to public addresses, or to those inside the networks ``guard`` lists."""
    key = (purpose, size, guard, os.getpid())
    found = _pools.get(key)
    if found is None or found[0].closed:
        connector = aiohttp.TCPConnector(
            limit=size,
            limit_per_host=size,
            ttl_dns_cache=60,
            enable_cleanup_closed=True,
            resolver=GuardedResolver(guard) if guard is not None else None,
        )
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
        if guard is not None:
            _policies[id(session)] = guard
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
    """One call, over within ``deadline`` seconds whatever the other side does. Through a
    guarded pool, the reasons given are the same for every address inside, so failures are no
    map of what listens there."""
    guard = _policies.get(id(session))
    if guard is not None:
        host = urlsplit(url).hostname or ""
        if _is_address(host) and addresses.refused(host, guard):
            raise Unreachable(f"{host} {addresses.NOT_PUBLIC}", forbidden=True)
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
    except aiohttp.ClientConnectorError as e:
        if isinstance(e.os_error, Forbidden):
            raise Unreachable(str(e.os_error), forbidden=True) from None
        raise Unreachable(
            "could not connect" if guard is not None else f"could not connect ({type(e).__name__})"
        ) from None
    except (aiohttp.ClientError, OSError, ValueError) as e:
        raise Unreachable(
            "could not connect" if guard is not None else f"could not connect ({type(e).__name__})"
        ) from None


def check_host(host: str, guard: tuple[addresses.Network, ...]) -> None:
    """Before storing a URL a user gave: Forbidden unless ``host`` resolves, and only to addresses
    the guard lets through. Advice for the form only; the guarded pool checks again as it connects.
    One answer for every refusal, so the form is no way to learn which names resolve inside."""
    try:
        found = {str(info[4][0]) for info in loop.run(_lookup(host))}
    except (OSError, UnicodeError, TimeoutError):
        found = set()
    if not found or any(addresses.refused(str(a), guard) for a in found):
        raise Forbidden(f"{host} {addresses.NOT_PUBLIC}")


async def _lookup(host: str) -> list:
    # A name server that never answers costs a form LOOKUP_SECONDS, not a web worker for good.
    return await asyncio.wait_for(
        asyncio.to_thread(socket.getaddrinfo, host, None, type=socket.SOCK_STREAM), LOOKUP_SECONDS
    )


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
