"""Sending deliveries: claim, send, record. Tasks call these; they decide nothing about Celery.

A delivery is claimed with a conditional UPDATE (pending -> sending, with a lease) before the
provider is called, so two workers never send the same one; a worker that dies leaves a lease
that the sweeper hands back. States only move forward: a late or repeated receipt never
undoes a final state.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications import bucket, signup
from notifications.channels.base import DeliveryError, Message
from notifications.channels.sms import sms_channel
from notifications.fanout import batches
from notifications.models import Delivery, Notice, Subscriber
from statuspage import language


def lease() -> timedelta:
    """How long a claimed delivery is a worker's before the sweeper hands it back (SEND_LEASE_SECONDS)."""
    return timedelta(seconds=settings.SEND_LEASE_SECONDS)


# Claimed and written a step at a time: at most this many texts are in doubt if a worker dies.
STEP = 50
# A delivery whose lease ran out while it was being sent: it may have been accepted.
UNCONFIRMED = "unconfirmed"


def stalled() -> timedelta:
    """A notice whose deliveries have not moved for this long has lost its tasks (SEND_STALLED_SECONDS)."""
    return timedelta(seconds=settings.SEND_STALLED_SECONDS)


MAX_ATTEMPTS = 6
# A late outage text can be worse than none: stop retrying once the message is this old.
MAX_AGE = timedelta(hours=2)
S = Delivery.State
# Receipts may come twice and out of order; only a later rank may replace an earlier one.
RANK = {S.PENDING: 0, S.SENDING: 1, S.SENT: 2, S.DELIVERED: 3, S.FAILED: 3, S.CANCELLED: 3, S.SUPERSEDED: 3}
RECEIPTS = {"sent": S.SENT, "delivered": S.DELIVERED, "undelivered": S.FAILED, "failed": S.FAILED}


def backoff(attempts: int) -> timedelta:
    """Jittered exponential backoff: about 10 s, 20 s, 40 s ... capped at 10 minutes."""
    base = min(600.0, 10.0 * 2 ** max(0, attempts - 1))
    return timedelta(seconds=base * random.uniform(0.5, 1.0))


def claim(notice_id: int, first_id: int, last_id: int, now, limit: int = 1000) -> list[int]:
    """Take up to ``limit`` due pending deliveries in this id range; returns their ids."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(notice_id=notice_id, id__gte=first_id, id__lte=last_id, state=S.PENDING, next_attempt_at__lte=now)
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        if ids:
            Delivery.objects.filter(pk__in=ids, state=S.PENDING).update(
                state=S.SENDING, lease_until=now + lease(), updated_at=now
            )
    return ids


def _message(notice: Notice, subscriber: Subscriber) -> Message:
    welsh = subscriber.language == "cy" and bool(notice.sms_body_cy)
    if subscriber.channel == Subscriber.Channel.SMS:
        return Message(subscriber.address, notice.sms_body_cy if welsh else notice.sms_body)
    token = signup.manage_token(subscriber.pk)
    prefix = "/cy" if welsh else ""
    manage = f"{settings.SITE_URL}{prefix}/subscribe/manage/{token}/"
    with override(language.code("cy" if welsh else "en")):
        footer = _("Stop these emails or delete your details: %(link)s") % {"link": manage}
    return Message(
        subscriber.address,
        f"{notice.email_body_cy if welsh else notice.email_body}\n\n{footer}",
        subject=notice.email_subject_cy if welsh else notice.email_subject,
        unsubscribe_url=f"{settings.SITE_URL}/subscribe/unsubscribe/{token}/",
    )


def _channel(kind: str):
    if kind == Subscriber.Channel.SMS:
        return sms_channel()
    from notifications.channels.email import EmailChannel

    return EmailChannel()


def send_batch(notice_id: int, first_id: int, last_id: int) -> int:
    """Send what is due in one id range of a notice. Returns how many were handed over.

    Deliveries are claimed a step at a time, as the rate allows, so a lease only ever covers
    messages in flight, and what was sent is written after each step: a worker killed mid-batch
    leaves at most one step unconfirmed, and those are checked with the provider before any
    second send (see UNCONFIRMED)."""
    sent = 0
    channels: dict = {}
    # Sending starts while the rest of the notice is still being planned; pausing or cancelling stops it.
    live = Notice.objects.filter(pk=notice_id, state__in=(Notice.State.PLANNING, Notice.State.SENDING))
    while (notice := live.first()) is not None:
        allowed = bucket.wait_for(STEP)
        ids = claim(notice_id, first_id, last_id, timezone.now(), limit=allowed)
        if not ids:
            break
        done = []
        for delivery in Delivery.objects.filter(pk__in=ids).select_related("subscriber").order_by("id"):
            channel = channels.setdefault(delivery.channel, _channel(delivery.channel))
            message = _message(notice, delivery.subscriber)
            try:
                provider_id = _already_sent(channel, delivery, message) or channel.send(message)
            except DeliveryError as e:
                failed(delivery, e)
                continue
            at = timezone.now()
            done.append((provider_id, at, at, delivery.pk))
        record_sent(done)
        Notice.objects.filter(pk=notice_id).update(progress_at=timezone.now())
        sent += len(done)
    return sent


# Django's bulk_update builds a CASE per field and row: most of a worker's time at 50 rows a step.
# One prepared statement run for each row (psycopg pipelines them) costs a fraction.
SENT_SQL = (
    f"UPDATE {Delivery._meta.db_table} SET state = 'sent', provider_id = %s, attempts = attempts + 1, "  # noqa: S608
    "sent_at = %s, updated_at = %s, lease_until = NULL, error_code = '', error = '' "
    "WHERE id = %s AND state = 'sending'"
)


def record_sent(rows: list[tuple]) -> None:
    """(provider id, sent at, sent at, delivery id) for each delivery the provider accepted."""
    if rows:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(SENT_SQL, rows)


def _already_sent(channel, delivery: Delivery, message: Message) -> str:
    """For a delivery whose worker died between sending and recording: the provider's id if it
    did accept the message, so it is recorded instead of sent twice."""
    if delivery.error_code != UNCONFIRMED or not hasattr(channel, "find_sent"):
        return ""
    return channel.find_sent(message, since=delivery.created_at) or ""


def failed(delivery: Delivery, e: DeliveryError) -> None:
    now = timezone.now()
    attempts = delivery.attempts + 1
    too_old = now - delivery.created_at > MAX_AGE
    if e.permanent or attempts >= MAX_ATTEMPTS or too_old:
        Delivery.objects.filter(pk=delivery.pk, state=S.SENDING).update(
            state=S.FAILED,
            attempts=attempts,
            error_code=e.code[:16],
            error=str(e)[:300],
            updated_at=now,
            lease_until=None,
        )
        if e.effect == "opted_out":
            Subscriber.objects.filter(pk=delivery.subscriber_id).update(
                state=Subscriber.State.OPTED_OUT, opted_out_at=now
            )
        elif e.effect == "invalid":
            Subscriber.objects.filter(pk=delivery.subscriber_id).update(state=Subscriber.State.INVALID)
        return
    # Long waits go through the database (next_attempt_at), never a long task countdown.
    Delivery.objects.filter(pk=delivery.pk, state=S.SENDING).update(
        state=S.PENDING,
        attempts=attempts,
        next_attempt_at=now + backoff(attempts),
        error_code=e.code[:16],
        error=str(e)[:300],
        updated_at=now,
        lease_until=None,
    )


def apply_receipt(provider_id: str, status: str, error_code: str = "") -> bool:
    """A delivery receipt from the provider; True if it moved the delivery forward."""
    new = RECEIPTS.get(status)
    if new is None or not provider_id:
        return False
    lower = [s for s, rank in RANK.items() if rank < RANK[new]]
    fields = {"state": new, "updated_at": timezone.now()}
    if new == S.FAILED:
        fields["error_code"] = error_code[:16]
    return bool(Delivery.objects.filter(provider_id=provider_id, state__in=lower).update(**fields))


def _ranges(ids: list[int], size: int = 1000) -> list[tuple[int, int]]:
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def sweep(now=None) -> list[tuple[int, int, int]]:
    """Hand back deliveries whose worker died (lease passed), and list what needs a task:
    (notice, first id, last id). Retries that came due are queued at once (the task that failed
    them has finished). Fresh deliveries belong to the batch tasks planned for them; only a
    notice that has made no progress for stalled() (its tasks were lost: Redis restarted, a worker
    killed) has its pending deliveries queued again. Finished notices are closed."""
    now = now or timezone.now()
    Delivery.objects.filter(state=S.SENDING, lease_until__lt=now).update(
        state=S.PENDING,
        updated_at=now,
        error_code=UNCONFIRMED,
        error="worker stopped while sending; checked before resending",
    )
    due = []
    sending = Notice.objects.filter(state=Notice.State.SENDING).values_list("pk", "planned_at", "progress_at")
    for notice_id, planned_at, progress_at in sending:
        deliveries = Delivery.objects.filter(notice_id=notice_id)
        if not deliveries.filter(state__in=(S.PENDING, S.SENDING)).exists():
            Notice.objects.filter(pk=notice_id, state=Notice.State.SENDING).update(
                state=Notice.State.DONE, finished_at=now
            )
            continue
        if max((t for t in (planned_at, progress_at) if t), default=now) < now - stalled():
            due += [(notice_id, *r) for r in batches(notice_id)]
            continue
        retries = list(
            deliveries.filter(state=S.PENDING, next_attempt_at__lte=now)
            .filter(Q(attempts__gt=0) | Q(error_code=UNCONFIRMED))
            .order_by("id")
            .values_list("id", flat=True)[:100_000]
        )
        due += [(notice_id, *r) for r in _ranges(retries)]
    return due
