"""Sending one webhook: claim it, sign it, post it, record what happened, decide when to retry.

``retry_at`` and ``should_disable`` are pure. The claim is a conditional UPDATE, so two workers
(or a task run twice) never post the same delivery at once, and no lock is held over the call.
"""

import asyncio
import logging
import random
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from common import addresses, loop, outbound
from integrations import endpoints, signing
from integrations.models import Delivery, Endpoint

log = logging.getLogger(__name__)

# After the 1st, 2nd, ... failed attempt. Summed, the last retry falls about 22 hours after the
# event; past a day it is history, and is given up.
BACKOFF = [timedelta(seconds=s) for s in (60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600)]
GIVE_UP_AFTER = timedelta(days=1)
# An endpoint failing every attempt for this long, with no success between, is switched off.
DISABLE_AFTER = timedelta(days=1)
USER_AGENT = "EPS-Status-Webhooks/1 (+https://digital.nhs.uk)"


def lease() -> timedelta:
    """A claimed delivery is a worker's for longer than the worst post (WEBHOOK_DEADLINE_SECONDS),
    so a slow receiver is never posted to twice at once."""
    return timedelta(seconds=2 * settings.WEBHOOK_DEADLINE_SECONDS + 30)


def retry_at(attempts: int, created_at: datetime, now: datetime, jitter: float = 0.0) -> datetime | None:
    """When to try again after ``attempts`` failures, or None to give up. ``jitter`` in [0, 1)
    spreads retries up to 10% later, so many endpoints failing together do not retry together."""
    delay = BACKOFF[min(attempts, len(BACKOFF)) - 1]
    at = now + delay * (1 + 0.1 * jitter)
    return at if at - created_at <= GIVE_UP_AFTER else None


def should_disable(failing_since: datetime | None, now: datetime, status: int | None) -> bool:
    # 410 Gone is the receiver telling us to stop.
    return status == 410 or (failing_since is not None and now - failing_since >= DISABLE_AFTER)


class Failed(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


def claim(delivery_id: int, now: datetime) -> bool:
    due = Q(next_attempt_at__lte=now) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    return bool(
        Delivery.objects.filter(due, pk=delivery_id, state=Delivery.State.PENDING).update(lease_until=now + lease())
    )


async def post(endpoint: Endpoint, delivery: Delivery) -> int:
    """One signed POST, over within WEBHOOK_DEADLINE_SECONDS whatever the receiver does (the DNS
    lookup included); the HTTP status on success, Failed otherwise. At most 64 KB of the answer is
    read: it is never used. The guarded pool connects only to the public address it checked, so
    DNS answering differently since registration (or between check and connect) gains nothing."""
    deadline = settings.WEBHOOK_DEADLINE_SECONDS
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-EPS-Event": delivery.event,
        "X-EPS-Delivery": delivery.event_id,
        signing.HEADER: signing.sign(endpoint.secret, int(time.time()), body),
    }
    session = outbound.pool("webhooks", settings.WEBHOOKS_IN_FLIGHT, endpoints.guard())
    try:
        answer = await outbound.request(session, "POST", endpoint.url, data=body, headers=headers, deadline=deadline)
    except outbound.Unreachable as e:
        # Three reasons only, whatever happened inside: no map of anyone's ports.
        if e.timed_out:
            raise Failed(f"No answer within {deadline:g} seconds") from None
        raise Failed(f"Refused: the address {addresses.NOT_PUBLIC}" if e.forbidden else "Could not connect") from None
    if 200 <= answer.status < 300:
        return answer.status
    raise Failed(f"Answered HTTP {answer.status}", answer.status)


async def _post_all(deliveries: list[Delivery]) -> list[tuple[int | None, str, int]]:
    async def one(delivery: Delivery) -> tuple[int | None, str, int]:
        started = time.monotonic()
        try:
            status, error = await post(delivery.endpoint, delivery), ""
        except Failed as e:
            status, error = e.status, str(e)
        return status, error, int((time.monotonic() - started) * 1000)

    return await asyncio.gather(*(one(d) for d in deliveries))


def deliver_many(delivery_ids: list[int]) -> dict[int, str]:
    """Try each delivery that is due, WEBHOOKS_IN_FLIGHT posts at a time. Safe to call twice: the
    second call finds them claimed or done. Claimed a group at a time, so a lease only ever covers
    posts under way. Each delivery's outcome: "delivered", "retry", "failed", "cancelled", or
    "disabled" when its failure switched the endpoint off (the caller tells the owner)."""
    outcome: dict[int, str] = {}
    size = settings.WEBHOOKS_IN_FLIGHT
    for i in range(0, len(delivery_ids), size):
        now = timezone.now()
        claimed = [pk for pk in delivery_ids[i : i + size] if claim(pk, now)]
        ready = []
        for d in Delivery.objects.select_related("endpoint").filter(pk__in=claimed):
            if d.endpoint.state != Endpoint.State.ACTIVE:
                Delivery.objects.filter(pk=d.pk).update(state=Delivery.State.CANCELLED, next_attempt_at=None)
                outcome[d.pk] = "cancelled"
            else:
                ready.append(d)
        for d, (status, error, took) in zip(ready, loop.run(_post_all(ready)), strict=True):
            outcome[d.pk] = _record(d, status, error, took)
    return outcome


def deliver(delivery_id: int) -> str:
    """Try one delivery if it is due."""
    return deliver_many([delivery_id]).get(delivery_id, "not due")


def _record(delivery: Delivery, status: int | None, error: str, took: int) -> str:
    endpoint = delivery.endpoint
    done = timezone.now()
    with transaction.atomic():
        common = {
            "attempts": F("attempts") + 1,
            "last_attempt_at": done,
            "last_status": status,
            "last_error": error[:300],
            "last_duration_ms": took,
            "lease_until": None,
        }
        if not error:
            Delivery.objects.filter(pk=delivery.pk).update(
                **common, state=Delivery.State.DELIVERED, delivered_at=done, next_attempt_at=None
            )
            Endpoint.objects.filter(pk=endpoint.pk).update(last_success_at=done, failing_since=None)
            return "delivered"
        again = retry_at(delivery.attempts + 1, delivery.created_at, done, random.random())
        Delivery.objects.filter(pk=delivery.pk).update(
            **common,
            state=Delivery.State.PENDING if again else Delivery.State.FAILED,
            next_attempt_at=again,
        )
        Endpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=done)
        endpoint.refresh_from_db(fields=["failing_since", "state"])
        if endpoint.state == Endpoint.State.ACTIVE and should_disable(endpoint.failing_since, done, status):
            reason = "It answered 410 Gone." if status == 410 else "Every delivery failed for a day."
            endpoints.disable(endpoint, reason)
            log.warning("webhook endpoint %s disabled: %s", endpoint.pk, reason)
            return "disabled"
    return "retry" if again else "failed"


def due(now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
