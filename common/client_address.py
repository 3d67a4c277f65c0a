"""Who is asking: the one place a request's client address is decided, for rate limits, lockouts
and the audit trail.

``X-Forwarded-For`` is believed only as far as our own proxies wrote it. Reading from the right,
each hop added by an address in TRUSTED_PROXIES is skipped; the first address that is not one of
ours is the client. A request that did not come through a trusted proxy is its own client
(``REMOTE_ADDR``), whatever headers it carries, so a node reached directly cannot be told who
is calling.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from common import addresses

# Everyone in one IPv6 /64 is one household or one host: it is what a single subscriber is given.
IPV6_PREFIX = 64


@lru_cache(maxsize=8)
def _trusted(networks: tuple[str, ...]) -> tuple[addresses.Network, ...]:
    return addresses.parse_networks(networks)


def _is_ours(address: str, trusted: tuple[addresses.Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == n.version and ip in n for n in trusted)


def client_ip(request: HttpRequest) -> str:
    """The caller's address, as our own proxies saw it; never a value the caller could write."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = _trusted(tuple(settings.TRUSTED_PROXIES))
    if not _is_ours(remote, trusted):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if not _is_ours(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                # A hop our proxy did not write well-formed: the proxy itself is all we know.
                return remote
    return remote


def rate_key(address: str) -> str:
    """What a per-client limit counts: an IPv4 address, or the IPv6 /64 it lies in (one host has
    a whole /64 to choose from, so counting single IPv6 addresses limits nobody)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip.ipv4_mapped or ip) if isinstance(ip, ipaddress.IPv6Address) else str(ip)


def client_key(request: HttpRequest) -> str:
    return rate_key(client_ip(request))
