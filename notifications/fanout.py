"""From a notice to one delivery row per reached subscriber: safe to run twice, or at once.

The unique (notice, subscriber, channel) constraint makes planning idempotent; claiming the
notice with a conditional UPDATE (and a lease, in case the planner dies) keeps two planners
from doing the work twice.
"""

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from notifications import audience
from notifications.audience import affected
from notifications.models import Delivery, Notice, Subscriber

# Deliveries per batch task. A task ends by waiting for its last sends in flight, so a large one
# keeps a sender busy longer; the first window's are small, so every sender starts at once.
CHUNK = 5000
FIRST_CHUNK = 1000
# Subscriber ids planned per INSERT: the first window small, so the first texts leave within a
# second or two; the rest large, so planning a million stays a handful of statements.
FIRST_WINDOW = 5_000
WINDOW = 200_000
PLAN_LEASE = timedelta(minutes=5)
# However the status flaps, one outage text per component per hour.
ALERT_QUIET = timedelta(hours=1)
TOO_LATE = timedelta(hours=2)
DONE_OR_SENT = (Delivery.State.SENT, Delivery.State.DELIVERED)


def claim(notice_id: int, now) -> bool:
    return bool(
        Notice.objects.filter(pk=notice_id)
        .filter(Q(state=Notice.State.PENDING) | Q(state=Notice.State.PLANNING, lease_until__lt=now))
        .update(state=Notice.State.PLANNING, lease_until=now + PLAN_LEASE)
    )


def reached(notice: Notice, now, window: tuple[int, int] = (0, 2**63 - 1)):
    """The subscriber ids this notice goes to, by its kind, within a window of subscriber ids
    (every part of the query is bounded by it, so each window reads only its own rows)."""
    within = {"subscriber_id__gte": window[0], "subscriber_id__lte": window[1]}
    if notice.kind == Notice.Kind.RESOLUTION:
        # Only those who were told it broke hear that it is fixed.
        return (
            Delivery.objects.filter(
                notice__incident_id=notice.incident_id, notice__kind=Notice.Kind.ALERT, state__in=DONE_OR_SENT, **within
            )
            .filter(subscriber__state=Subscriber.State.ACTIVE)
            .values_list("subscriber_id", flat=True)
            .distinct()
        )
    reach = audience.reach(affected(notice.components.all()))
    ids = audience.subscribers(reach, window).values_list("pk", flat=True)
    if notice.kind == Notice.Kind.ALERT:
        # Through the few recent alert notices, so the unique (notice, subscriber) index serves it.
        recent_alerts = (
            Notice.objects.filter(
                kind=Notice.Kind.ALERT, components__in=notice.components.all(), created_at__gte=now - ALERT_QUIET
            )
            .exclude(pk=notice.pk)
            .values("pk")
        )
        recently_told = Delivery.objects.filter(**within, notice__in=recent_alerts).exclude(
            state__in=(Delivery.State.CANCELLED, Delivery.State.SUPERSEDED)
        )
        ids = ids.exclude(pk__in=recently_told.values("subscriber_id"))
    return ids


def plan(notice_id: int, ready=None) -> list[tuple[int, int]]:
    """Write the notice's deliveries, WINDOW subscribers at a time, handing each window's id
    ranges (FIRST_CHUNK, then CHUNK deliveries each) to ``ready`` as soon as they exist: the first texts go while
    the rest of a million are still being planned. Returns every range."""
    now = timezone.now()
    if not claim(notice_id, now):
        return []
    notice = Notice.objects.get(pk=notice_id)
    if now - notice.created_at > TOO_LATE:
        # Published long ago (history being loaded, or the workers were down for hours): a text
        # about an outage that may be long over does more harm than good.
        Notice.objects.filter(pk=notice_id).update(state=Notice.State.DONE, finished_at=now, lease_until=None)
        return []
    # A newer message for the same incident replaces older ones not yet sent.
    Delivery.objects.filter(
        notice__incident_id=notice.incident_id, notice__created_at__lt=notice.created_at, state=Delivery.State.PENDING
    ).update(state=Delivery.State.SUPERSEDED, updated_at=now)
    found = Subscriber.objects.aggregate(low=Min("id"), high=Max("id"))
    ranges: list[tuple[int, int]] = []
    if found["low"] is not None:
        for window in windows(found["low"], found["high"]):
            insert_deliveries(notice.pk, reached(notice, now, window), now, window)
            Notice.objects.filter(pk=notice_id, state=Notice.State.PLANNING).update(
                lease_until=timezone.now() + PLAN_LEASE
            )
            new = batches(notice.pk, window, FIRST_CHUNK if not ranges else CHUNK)
            ranges += new
            if ready and new:
                ready(new)
    with transaction.atomic():
        Notice.objects.filter(pk=notice_id, state=Notice.State.PLANNING).update(
            state=Notice.State.SENDING, planned_at=timezone.now(), lease_until=None
        )
    return ranges


def windows(low: int, high: int) -> list[tuple[int, int]]:
    """Subscriber id windows: a small first one so the first texts leave at once, then larger ones
    so a million take a few statements, not hundreds."""
    found, size = [], FIRST_WINDOW
    while low <= high:
        found.append((low, min(low + size - 1, high)))
        low, size = low + size, WINDOW
    return found


def insert_deliveries(notice_id: int, subscriber_ids, now, window: tuple[int, int]) -> None:
    """One INSERT ... SELECT per window of subscriber ids: a million rows stay in the database
    instead of passing through Python. The unique constraint makes a second run add nothing."""
    chosen = (
        Subscriber.objects.filter(pk__in=subscriber_ids, pk__gte=window[0], pk__lte=window[1])
        .order_by("id")
        .values("id", "channel")
    )
    select_sql, select_params = chosen.query.sql_with_params()
    table = Delivery._meta.db_table
    columns = (
        "notice_id, subscriber_id, channel, state, attempts, next_attempt_at, provider_id, error_code, error, "
        "created_at, updated_at"
    )
    # "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608 -- table and columns are our own; values are parameters
        f"SELECT %s, s.id, s.channel, %s, 0, %s, '', '', '', %s, %s FROM ({select_sql}) AS s WHERE true "
        "ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (notice_id, Delivery.State.PENDING, now, now, now, *select_params))


def batches(notice_id: int, window: tuple[int, int] | None = None, size: int = CHUNK) -> list[tuple[int, int]]:
    """Id ranges of the notice's pending deliveries (for subscribers in ``window``, if given), each
    spanning at most ``size`` ids, so a batch task holds at most that many deliveries and a million need
    no list in memory."""
    pending = Delivery.objects.filter(notice_id=notice_id, state=Delivery.State.PENDING)
    if window:
        pending = pending.filter(subscriber_id__gte=window[0], subscriber_id__lte=window[1])
    found = pending.aggregate(low=Min("id"), high=Max("id"))
    if found["low"] is None:
        return []
    return [(start, min(start + size - 1, found["high"])) for start in range(found["low"], found["high"] + 1, size)]


def progress(notice_id: int) -> dict[str, int]:
    """Planned, sent, delivered, failed, ...: what the console shows."""
    counts = {s: 0 for s in Delivery.State.values}
    for row in Delivery.objects.filter(notice_id=notice_id).values("state").order_by().annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    counts["planned"] = sum(counts[s] for s in Delivery.State.values)
    return counts


def pause(notice_id: int) -> bool:
    """Stop handing out this notice's deliveries; batches already running finish the one they hold."""
    return bool(Notice.objects.filter(pk=notice_id, state=Notice.State.SENDING).update(state=Notice.State.PAUSED))


def resume(notice_id: int) -> bool:
    """Sending again; the dispatcher re-queues what is still pending within seconds."""
    return bool(Notice.objects.filter(pk=notice_id, state=Notice.State.PAUSED).update(state=Notice.State.SENDING))


def cancel(notice_id: int) -> int:
    """Nothing more is sent; returns how many deliveries were cancelled."""
    now = timezone.now()
    with transaction.atomic():
        Notice.objects.filter(
            pk=notice_id,
            state__in=(
                Notice.State.HELD,
                Notice.State.PENDING,
                Notice.State.PLANNING,
                Notice.State.SENDING,
                Notice.State.PAUSED,
            ),
        ).update(state=Notice.State.CANCELLED, finished_at=now, lease_until=None)
        return Delivery.objects.filter(notice_id=notice_id, state=Delivery.State.PENDING).update(
            state=Delivery.State.CANCELLED, updated_at=now
        )
