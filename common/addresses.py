"""Which network addresses a user-supplied URL may make us call: the one rule for webhooks and
pull probes, checked on the address we actually connect to (common.outbound's resolver), not on
a lookup made earlier that DNS could answer differently the second time.

Pure: no lookups here, only the verdict on an address already resolved.
"""

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges that Python's ``is_global`` calls public but that lead somewhere else: a NAT64 or 6to4
# address is an IPv4 address in disguise (64:ff9b::7f00:1 is 127.0.0.1 behind a NAT64 gateway),
# Teredo tunnels, and the benchmarking, documentation and ORCHID ranges nobody serves from.
DISGUISED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "64:ff9b::/96",  # NAT64, well-known prefix (RFC 6052)
        "64:ff9b:1::/48",  # NAT64, local use (RFC 8215)
        "2002::/16",  # 6to4 (RFC 3056)
        "2001::/32",  # Teredo (RFC 4380)
        "2001:2::/48",  # benchmarking
        "2001:10::/28",  # ORCHID
        "2001:20::/28",  # ORCHIDv2
        "2001:db8::/32",  # documentation
        "100::/64",  # discard-only
        "100.64.0.0/10",  # carrier-grade NAT: inside someone's network
        "192.0.0.0/24",  # IETF protocol assignments
        "198.18.0.0/15",  # benchmarking
    )
)

# What a refused address is told: the same words whatever the reason, so the answer says
# nothing about what lies inside.
NOT_PUBLIC = "is not an address on the public internet"


# For a laptop or a test only: every address is allowed.
ANYWHERE = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


def refused(address: str, allowed: Iterable[Network] = ()) -> bool:
    """True unless ``address`` is a public unicast address, or inside one of the ``allowed``
    networks an operator has chosen to trust (a supplier's health endpoint on HSCN, say)."""
    try:
        ip: Address = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(ip.version == n.version and ip in n for n in allowed):
        return False
    if not ip.is_global or ip.is_multicast:
        return True
    return any(ip.version == n.version and ip in n for n in DISGUISED)
