"""Broker bearer tokens: 256 random bits, shown once, kept only as SHA-256.

Every probe authenticates, so each process remembers the tokens it has seen, keyed by a
shared version that any issue or revocation bumps: a revoked token stops working on every
node within a second, without a database read per probe.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max
from django.utils import timezone

from statuspage.caching import shared_version
from statuspage.models import Broker, BrokerToken, Probe

PREFIX = "eps_"
_version = shared_version("tokens:version")
_known: dict[str, tuple[int, "Holder | None"]] = {}
KNOWN_MAX = 50_000


@dataclass(frozen=True)
class Holder:
    """Who a live token belongs to: what a probe needs before it touches the database."""

    token_id: int
    broker_id: int
    component_code: str
    component_slug: str
    probes_per_minute: int
    digest: str
    heartbeat_seconds: int
    thresholds: dict


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(broker: Broker, label: str = "") -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    BrokerToken.objects.create(broker=broker, digest=_digest(token), prefix=token[:12], label=label)
    _version.bump()
    return token


def _look_up(digest: str) -> Holder | None:
    row = (
        BrokerToken.objects.filter(digest=digest, revoked_at__isnull=True)
        .values_list(
            "pk",
            "broker_id",
            "broker__component__code",
            "broker__component__slug",
            "broker__probes_per_minute",
            "digest",
            "broker__heartbeat_seconds",
            "broker__thresholds",
        )
        .first()
    )
    return Holder(*row) if row else None


def authenticate(token: str) -> Holder | None:
    """The live token's holder, or None. Found by digest, then compared in constant time."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    digest = _digest(token)
    version = _version.current()
    cached = _known.get(digest)
    if cached is not None and cached[0] == version:
        holder = cached[1]
    else:
        holder = _look_up(digest)
        if len(_known) >= KNOWN_MAX:
            _known.clear()
        _known[digest] = (version, holder)
    if holder is None or not hmac.compare_digest(holder.digest, digest):
        return None
    return holder


def record_last_used(since: datetime) -> int:
    """Copy each token's latest probe time to last_used_at. Each probe records its token, so
    this costs nothing per probe; the periodic job runs it."""
    latest = (
        Probe.objects.filter(received_at__gte=since, token__isnull=False)
        .values("token_id")
        .annotate(at=Max("received_at"))
    )
    updated = 0
    for row in latest:
        updated += (
            BrokerToken.objects.filter(pk=row["token_id"])
            .exclude(last_used_at__gte=row["at"])
            .update(last_used_at=row["at"])
        )
    return updated


def revoke(broker: Broker, prefix: str) -> int:
    count = BrokerToken.objects.filter(broker=broker, prefix__startswith=prefix, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    _version.bump()
    return count


def forget_everywhere() -> None:
    """Make every process look its tokens up again (after a broker or token changes)."""
    _version.bump()


def revoke_labelled(label: str, brokers: list[Broker]) -> int:
    count = BrokerToken.objects.filter(label=label, broker__in=brokers, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    _version.bump()
    return count
