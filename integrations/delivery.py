"""Sending one webhook: claim it, sign it, post it, record what happened, decide when to retry.

``retry_at`` and ``should_disable`` are pure. The claim is a conditional UPDATE, so two workers
(or a task run twice) never post the same delivery at once, and no lock is held over the call.
"""

import logging
import random
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from integrations import endpoints, signing
from integrations.models import Delivery, Endpoint

log = logging.getLogger(__name__)

# After the 1st, 2nd, ... failed attempt. Summed, the last retry falls about 22 hours after the
# event; past a day it is history, and is given up.
BACKOFF = [timedelta(seconds=s) for s in (60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600)]
GIVE_UP_AFTER = timedelta(days=1)
# An endpoint failing every attempt for this long, with no success between, is switched off.
DISABLE_AFTER = timedelta(days=1)
LEASE = timedelta(seconds=60)
TIMEOUT = (3.05, 10)
USER_AGENT = "EPS-Status-Webhooks/1 (+https://digital.nhs.uk)"


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
        Delivery.objects.filter(due, pk=delivery_id, state=Delivery.State.PENDING).update(lease_until=now + LEASE)
    )


def post(endpoint: Endpoint, delivery: Delivery) -> int:
    """One signed POST; the HTTP status on success, Failed otherwise."""
    host = urlsplit(endpoint.url).hostname or ""
    try:
        endpoints.check_address(host)  # again at send time: DNS may have changed since registration
    except endpoints.Refused as e:
        raise Failed(str(e)) from None
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-EPS-Event": delivery.event,
        "X-EPS-Delivery": delivery.event_id,
        signing.HEADER: signing.sign(endpoint.secret, int(time.time()), body),
    }
    try:
        response = requests.post(endpoint.url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False)
    except requests.Timeout:
        raise Failed("No answer within 10 seconds") from None
    except requests.RequestException as e:
        raise Failed(f"Could not connect: {type(e).__name__}") from None
    if 200 <= response.status_code < 300:
        return response.status_code
    raise Failed(f"Answered HTTP {response.status_code}", response.status_code)


def deliver(delivery_id: int) -> str:
    """Try one delivery if it is due. Safe to call twice: the second finds it claimed or done."""
    now = timezone.now()
    if not claim(delivery_id, now):
        return "not due"
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if endpoint.state != Endpoint.State.ACTIVE:
        Delivery.objects.filter(pk=delivery_id).update(state=Delivery.State.CANCELLED, next_attempt_at=None)
        return "cancelled"
    started = time.monotonic()
    status, error = None, ""
    try:
        status = post(endpoint, delivery)
    except Failed as e:
        status, error = e.status, str(e)
    took = int((time.monotonic() - started) * 1000)
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
            Delivery.objects.filter(pk=delivery_id).update(
                **common, state=Delivery.State.DELIVERED, delivered_at=done, next_attempt_at=None
            )
            Endpoint.objects.filter(pk=endpoint.pk).update(last_success_at=done, failing_since=None)
            return "delivered"
        again = retry_at(delivery.attempts + 1, delivery.created_at, done, random.random())
        Delivery.objects.filter(pk=delivery_id).update(
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
            transaction.on_commit(lambda: _tell_owner(endpoint.pk), robust=True)
            return "disabled"
    return "retry" if again else "failed"


def _tell_owner(endpoint_id: int) -> None:
    from integrations.tasks import tell_disabled

    tell_disabled.delay(endpoint_id)


def due(now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
