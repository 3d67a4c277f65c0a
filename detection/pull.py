"""Pull probes: for brokers that expose a health document instead of pushing one.

Every due broker is fetched at once on the process's event loop (common.loop), each fetch over
within PULL_TIMEOUT_SECONDS and reading at most 16 KB (common.outbound): a supplier's endpoint
that trickles or answers without end costs one failed probe, never a late one for anybody else.
"""

import asyncio
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from common import addresses, loop, outbound
from detection import probes
from detection.healthdoc import Invalid, loads, parse
from statuspage.models import Broker, Probe

MAX_BYTES = 16 * 1024


class Refused(ValueError):
    """A health endpoint address we will not fetch, with the reason in words."""


def guard() -> tuple[addresses.Network, ...]:
    return addresses.parse_networks(settings.PULL_ALLOWED_NETWORKS)


def check_url(url: str) -> str:
    """A health endpoint an admin may point us at: http(s), no credentials in it, and a host on
    the public internet or in PULL_ALLOWED_NETWORKS (never loopback or a cloud metadata address
    unless listed). Checked again on every fetch, on the address connected to."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("Give the whole address, starting https://")
    if parts.username or parts.password:
        raise Refused("Leave user names and passwords out of the address.")
    try:
        outbound.check_host(parts.hostname, guard())
    except outbound.Forbidden:
        raise Refused(
            f"{parts.hostname} {addresses.NOT_PUBLIC}. Private networks must be listed in PULL_ALLOWED_NETWORKS."
        ) from None
    return url.strip()


def claim_due(now: datetime) -> list[int]:
    """Brokers whose next pull is due, each claimed by moving its next pull time with a
    conditional UPDATE, so two schedulers never fetch the same broker twice."""
    claimed = []
    due = Broker.objects.exclude(pull_url="").filter(Q(next_pull_at__isnull=True) | Q(next_pull_at__lte=now))
    for pk, next_pull_at, heartbeat in due.values_list("pk", "next_pull_at", "heartbeat_seconds"):
        won = Broker.objects.filter(pk=pk, next_pull_at=next_pull_at).update(
            next_pull_at=now + timedelta(seconds=heartbeat)
        )
        if won:
            claimed.append(pk)
    return claimed


async def _get(url: str) -> tuple[outbound.Answer | outbound.Unreachable, datetime]:
    """The document, or why there is none, and when we knew. Over within PULL_TIMEOUT_SECONDS."""
    session = outbound.pool("pulls", settings.PULL_IN_FLIGHT, guard())
    try:
        found: outbound.Answer | outbound.Unreachable = await outbound.request(
            session,
            "GET",
            url,
            deadline=settings.PULL_TIMEOUT_SECONDS,
            headers={"Accept": "application/health+json, application/json"},
            limit=MAX_BYTES,
        )
    except outbound.Unreachable as e:
        found = e
    return found, timezone.now()


async def _get_all(urls: list[str]) -> list[tuple[outbound.Answer | outbound.Unreachable, datetime]]:
    return await asyncio.gather(*(_get(url) for url in urls))


def fetch_many(brokers: list[Broker]) -> list[Probe]:
    """Fetch every broker's health document at once; one broker's slow endpoint costs only its
    own deadline. Any failure is a failed probe with its reason."""
    answers = loop.run(_get_all([b.pull_url for b in brokers]))
    return [_record(broker, found, at) for broker, (found, at) in zip(brokers, answers, strict=True)]


def fetch(broker: Broker) -> Probe:
    return fetch_many([broker])[0]


def _record(broker: Broker, found: outbound.Answer | outbound.Unreachable, received_at: datetime) -> Probe:
    if isinstance(found, outbound.Unreachable):
        if found.timed_out:
            reason = f"Health endpoint did not answer within {settings.PULL_TIMEOUT_SECONDS:g} s"
        elif found.forbidden:
            reason = f"Health endpoint refused: its address {addresses.NOT_PUBLIC}"
        else:
            reason = f"Health endpoint unreachable: {found}"
        return probes.record_failure(broker, reason, received_at, "pull")
    if not 200 <= found.status < 300:
        return probes.record_failure(broker, f"Health endpoint answered {found.status}", received_at, "pull")
    if found.truncated:
        return probes.record_failure(broker, "Health endpoint answered more than 16 KB", received_at, "pull")
    try:
        document = loads(found.body)
        parsed = parse(document, received_at)
    except (ValueError, UnicodeDecodeError):
        return probes.record_failure(broker, "Health endpoint answered something other than JSON", received_at, "pull")
    except Invalid as e:
        return probes.record_failure(broker, f"Health endpoint answered an invalid document: {e}", received_at, "pull")
    probe, _ = probes.record(probes.Received(broker.pk, parsed, received_at, Probe.Source.PULL, document))
    return probe
