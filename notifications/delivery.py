"""Sending deliveries: claim, send, record. Tasks call these; they decide nothing about Celery.

A delivery is claimed with a conditional UPDATE (pending -> sending, with a lease) before the
provider is called, so two workers never send the same one; a worker that dies leaves a lease
that the sweeper hands back. States only move forward: a late or repeated receipt never
undoes a final state (receipts.py).
"""

import logging
import queue
import random
import time
from collections import Counter
from concurrent.futures import Future
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from common import metrics
from notifications import audience, bucket, notice_words, receipts, signup
from notifications.audience import Reach
from notifications.channels.base import Channel, DeliveryError, Message
from notifications.channels.email import EmailChannel
from notifications.channels.sms import sms_channel
from notifications.fanout import batches
from notifications.models import Delivery, Notice, Subscriber, Subscription
from notifications.wording import Words
from statuspage import language
from statuspage.models import Pharmacy

log = logging.getLogger(__name__)


def lease() -> timedelta:
    """How long a claimed delivery is a worker's before the sweeper hands it back (SEND_LEASE_SECONDS)."""
    return timedelta(seconds=settings.SEND_LEASE_SECONDS)


# A delivery whose lease ran out while it was being sent: it may have been accepted.
UNCONFIRMED = "unconfirmed"


def stalled() -> timedelta:
    """A notice whose deliveries have not moved for this long has lost its tasks (SEND_STALLED_SECONDS)."""
    return timedelta(seconds=settings.SEND_STALLED_SECONDS)


MAX_ATTEMPTS = 6
# A late outage text can be worse than none: stop retrying once the message is this old.
MAX_AGE = timedelta(hours=2)
S = Delivery.State


def backoff(attempts: int) -> timedelta:
    """Jittered exponential backoff: about 10 s, 20 s, 40 s ... capped at 10 minutes."""
    base = min(600.0, 10.0 * 2 ** max(0, attempts - 1))
    return timedelta(seconds=base * random.uniform(0.5, 1.0))


def claim(notice_id: int, first_id: int, last_id: int, now, limit: int = 1000, channel: str | None = None) -> list[int]:
    """Take up to ``limit`` due pending deliveries in this id range (of one channel, if given); returns their ids."""
    return [d.pk for d in claim_to_send(notice_id, first_id, last_id, now, limit, channel)]


def claim_to_send(
    notice_id: int, first_id: int, last_id: int, now, limit: int, channel: str | None = None
) -> list[Delivery]:
    """Take up to ``limit`` due pending deliveries in this id range, each with its subscriber.

    One statement, one round trip: the conditional UPDATE claims (pending -> sending, leased) and
    RETURNING gives what sending needs. SKIP LOCKED lets two senders claim side by side without
    waiting for each other; SQLite has one writer at a time, so it needs no such clause."""
    table = Delivery._meta.db_table
    # Picked once, in a materialized CTE: as "id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)"
    # PostgreSQL may run the subquery again for each row and claim more than n.
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    sql = (
        f"WITH picked AS MATERIALIZED (SELECT id FROM {table} WHERE notice_id = %s AND id >= %s AND id <= %s "  # noqa: S608 -- our own table
        f"AND state = %s AND next_attempt_at <= %s AND (%s = '' OR channel = %s) ORDER BY id LIMIT %s{lock}) "
        f"UPDATE {table} SET state = %s, lease_until = %s, updated_at = %s "
        f"WHERE state = %s AND id IN (SELECT id FROM picked) "
        "RETURNING id, subscriber_id, channel, attempts, error_code, created_at"
    )
    params = [notice_id, first_id, last_id, S.PENDING, now, channel or "", channel or "", limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, S.SENDING, now + lease(), now, S.PENDING])
        rows = sorted(cursor.fetchall())
    if not rows:
        return []
    people = Subscriber.objects.in_bulk([r[1] for r in rows])
    found = []
    for pk, subscriber_id, kind, attempts, error_code, created_at in rows:
        d = Delivery(
            id=pk,
            notice_id=notice_id,
            subscriber_id=subscriber_id,
            channel=kind,
            state=S.SENDING,
            attempts=attempts,
            error_code=error_code,
            created_at=created_at,
        )
        d.subscriber = people[subscriber_id]
        found.append(d)
    return found


def followed_pharmacies(subscriber_ids: list[int]) -> dict[int, list[Pharmacy]]:
    """The pharmacies each of these subscribers follows: one query for a whole claim."""
    found: dict[int, list[Pharmacy]] = {}
    for subscription in Subscription.objects.filter(
        subscriber_id__in=subscriber_ids, scope=Subscription.Scope.PHARMACY, confirmed_at__isnull=False
    ).select_related("pharmacy"):
        found.setdefault(subscription.subscriber_id, []).append(subscription.pharmacy)
    return found


def message(
    notice: Notice, subscriber: Subscriber, followed: list[Pharmacy] | None = None, reach: Reach | None = None
) -> Message:
    """What one subscriber is sent: the notice's words, or (following a pharmacy it reaches) the
    same worded for that pharmacy by name, in their language."""
    welsh = subscriber.language == "cy" and bool(notice.sms_body_cy)
    mine = notice_words.for_patient(notice, followed or [], reach, "cy" if welsh else "en") if reach else None
    words = mine or (
        Words(notice.sms_body_cy, notice.email_subject_cy, notice.email_body_cy)
        if welsh
        else Words(notice.sms_body, notice.email_subject, notice.email_body)
    )
    if subscriber.channel == Subscriber.Channel.SMS:
        return Message(subscriber.address, words.sms)
    # Unsubscribe-only and long-lived: an email is forwarded, kept and read on shared screens.
    token = signup.unsubscribe_token(subscriber)
    prefix = "/cy" if welsh else ""
    manage = f"{settings.SITE_URL}{prefix}/subscribe/unsubscribe/{token}/"
    with override(language.code("cy" if welsh else "en")):
        footer = _("Stop these emails or delete your details: %(link)s") % {"link": manage}
    return Message(
        subscriber.address,
        f"{words.email}\n\n{footer}",
        subject=words.subject,
        unsubscribe_url=f"{settings.SITE_URL}/subscribe/unsubscribe/{token}/",
    )


def channel_for(kind: str) -> Channel:
    return sms_channel() if kind == Subscriber.Channel.SMS else EmailChannel()


KINDS = (Subscriber.Channel.SMS, Subscriber.Channel.EMAIL)
# How often a sender looks whether ops paused or cancelled the notice, and writes what was sent.
LOOK_EVERY = 0.2
RECORD_EVERY = 0.1
# A batch task sends for at most this long, then hands the rest of its range to a fresh task, so
# no task nears its time limit however slow the provider's rate, and a confirmation code (its own
# queue, the same pool) waits at most this long for a free process.
BUDGET_SECONDS = 20.0


class _Sender:
    """One batch's sending: keeps each channel's ``in_flight`` sends under way, texts only as the
    cluster-wide bucket allows. It claims at most a quarter more than can be in flight; those wait
    at the channel for at most one send's deadline, so a lease (longer than two deadlines, see
    settings) still covers every claimed delivery until it is recorded."""

    def __init__(self, notice: Notice, first_id: int, last_id: int) -> None:
        self.notice, self.first_id, self.last_id = notice, first_id, last_id
        self.channels: dict[str, Channel] = {}
        self.flying: dict[Future, Delivery] = {}
        # Finished sends arrive here from the loop's thread: waiting on a queue costs the same
        # however many are in flight, where concurrent.futures.wait walks every one each time.
        self.finished: queue.SimpleQueue[Future] = queue.SimpleQueue()
        self.busy: Counter = Counter()
        self.exhausted: set[str] = set()
        self.accepted: list[tuple] = []
        self.sent = 0
        # Whom the notice reaches, once per batch: each patient's text names their own pharmacy in it.
        self.reach = audience.reach(audience.affected(notice.components.all()))

    def start_more(self) -> None:
        for kind in KINDS:
            if kind in self.exhausted:
                continue
            channel = self.channels.get(kind) or self.channels.setdefault(kind, channel_for(kind))
            # A quarter more than can be in flight wait at the channel (within their deadline), so
            # the next send starts the moment one ends, not after a round trip to the database.
            room = channel.in_flight + channel.in_flight // 4 - self.busy[kind]
            if self.busy[kind] and room < max(1, channel.in_flight // 10):
                continue  # claim in handfuls, not one statement per finished send
            if room > 0 and kind == Subscriber.Channel.SMS:
                wanted, room = room, bucket.take(room)
                if room < wanted:
                    metrics.BUCKET_WAITS.inc()
            if room <= 0:
                continue
            claimed = claim_to_send(self.notice.pk, self.first_id, self.last_id, timezone.now(), room, kind)
            if len(claimed) < room:
                self.exhausted.add(kind)
                if kind == Subscriber.Channel.SMS:
                    bucket.give_back(room - len(claimed))
            followed = followed_pharmacies([d.subscriber_id for d in claimed]) if claimed else {}
            for d in claimed:
                # One that a dead worker may already have sent is looked up at the provider first.
                since = d.created_at if d.error_code == UNCONFIRMED else None
                text = message(self.notice, d.subscriber, followed.get(d.subscriber_id), self.reach)
                future = channel.submit(text, since)
                self.flying[future] = d
                self.busy[kind] += 1
                future.add_done_callback(self.finished.put)

    def _finished(self, timeout: float) -> list[Future]:
        try:
            found = [self.finished.get(timeout=timeout)]
        except queue.Empty:
            return []
        while True:
            try:
                found.append(self.finished.get_nowait())
            except queue.Empty:
                return found

    def collect(self, timeout: float) -> None:
        for future in self._finished(timeout):
            d = self.flying.pop(future)
            self.busy[d.channel] -= 1
            try:
                provider_id = future.result()
            except DeliveryError as e:
                metrics.PROVIDER_ERRORS.labels(channel=d.channel, code=e.code[:16]).inc()
                failed(d, e)
                continue
            metrics.SENT.labels(channel=d.channel).inc()
            at = timezone.now()
            self.accepted.append((provider_id, at, at, d.pk))

    def record(self) -> None:
        if self.accepted:
            record_sent(self.accepted)
            self.sent += len(self.accepted)
            self.accepted = []
            Notice.objects.filter(pk=self.notice.pk).update(progress_at=timezone.now())


def send_batch(notice_id: int, first_id: int, last_id: int, budget: float = BUDGET_SECONDS) -> int:
    """Send what is due in one id range of a notice. Returns how many were handed over.

    Many sends are under way at once (each channel's ``in_flight``); what was accepted is written
    every RECORD_EVERY seconds, so a worker killed mid-batch leaves at most the sends in flight
    unconfirmed, and those are checked with the provider before any second send (UNCONFIRMED).
    Pausing or cancelling is seen within LOOK_EVERY: nothing new starts, what is in flight ends."""
    # Sending starts while the rest of the notice is still being planned; pausing or cancelling stops it.
    live = Notice.objects.filter(pk=notice_id, state__in=(Notice.State.PLANNING, Notice.State.SENDING))
    notice = live.select_related("incident", "update").first()
    if notice is None:
        return 0
    sender = _Sender(notice, first_id, last_id)
    started = looked = recorded = time.monotonic()
    taking = True
    while True:
        now = time.monotonic()
        if now - looked >= LOOK_EVERY:
            taking, looked = live.exists(), now
        taking = taking and now - started < budget
        if taking:
            sender.start_more()
        if not sender.flying:
            if not taking or len(sender.exhausted) == len(KINDS):
                break
            time.sleep(0.005)  # the bucket is empty for now
            continue
        sender.collect(timeout=0.02)
        if time.monotonic() - recorded >= RECORD_EVERY:
            sender.record()
            recorded = time.monotonic()
    sender.record()
    return sender.sent


def more_due(notice_id: int, first_id: int, last_id: int) -> bool:
    """Whether a batch left due deliveries behind in its range (its budget ran out while the
    notice is still being sent)."""
    return (
        Notice.objects.filter(pk=notice_id, state__in=(Notice.State.PLANNING, Notice.State.SENDING)).exists()
        and Delivery.objects.filter(
            notice_id=notice_id,
            id__gte=first_id,
            id__lte=last_id,
            state=S.PENDING,
            next_attempt_at__lte=timezone.now(),
        ).exists()
    )


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
        receipts.apply_early([row[0] for row in rows])


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
