"""Broker bearer tokens: 256 random bits, shown once, kept only as SHA-256.

Every probe authenticates, so each process holds the table of live tokens (a few hundred
bytes per broker), loaded whole and keyed by a shared version that any issue, revocation or
broker change bumps after commit: a revoked token stops working on every node within a
second, and no probe -- nor a flood of made-up tokens -- costs a database read.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from common.shared_version import shared_version
from statuspage.models import Broker, BrokerToken, Probe

PREFIX = "eps_"
_version = shared_version("tokens:version")
_table: dict = {"version": None, "holders": {}, "names": {}}


@dataclass(frozen=True)
class Holder:
    """Who a live token belongs to: what a probe needs before it touches the database."""

    token_id: int
    broker_id: int
    component_code: str
    component_slug: str
    digest: str
    heartbeat_seconds: int
    thresholds: dict


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _changed() -> None:
    # Now, so this process (and its open transaction) sees the change at once; and again after
    # commit, so a process that reloaded in between, without the change, reloads once more.
    _version.bump()
    transaction.on_commit(_version.bump, robust=True)


def issue(broker: Broker, label: str = "") -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    BrokerToken.objects.create(broker=broker, digest=_digest(token), prefix=token[:12], label=label)
    _changed()
    return token


def _live() -> dict[str, Holder]:
    rows = (
        BrokerToken.objects.filter(revoked_at__isnull=True)
        .values_list(
            "pk",
            "broker_id",
            "broker__component__code",
            "broker__component__slug",
            "digest",
            "broker__heartbeat_seconds",
            "broker__thresholds",
        )
        .iterator(chunk_size=5000)
    )
    holders = (Holder(*row) for row in rows)
    return {h.digest: h for h in holders}


def _names() -> dict[str, int]:
    """Every broker's component slug and code, to the broker: what a serviceId could name."""
    names: dict[str, int] = {}
    for broker_id, slug, code in Broker.objects.values_list("pk", "component__slug", "component__code").iterator(
        chunk_size=5000
    ):
        names[slug] = names[code] = broker_id
    return names


def _current() -> dict:
    version = _version.current()
    if _table["version"] != version:
        _table.update(holders=_live(), names=_names(), version=version)
    return _table


def broker_named(name: str) -> int | None:
    """The broker of ours whose component has this slug or code, if any."""
    return _current()["names"].get(name)


def authenticate(token: str) -> Holder | None:
    """The live token's holder, or None. Found by digest, then compared in constant time."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    digest = _digest(token)
    holder = _current()["holders"].get(digest)
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
    _changed()
    return count


def forget_everywhere() -> None:
    """Make every process load its tokens again (after a broker or token changes)."""
    _changed()


def revoke_labelled(label: str, brokers: list[Broker]) -> int:
    count = BrokerToken.objects.filter(label=label, broker__in=brokers, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    _changed()
    return count
