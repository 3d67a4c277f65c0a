"""From a notice to one delivery row per reached subscriber: safe to run twice, or at once.

The unique (notice, subscriber, channel) constraint makes planning idempotent; claiming the
notice with a conditional UPDATE (and a lease, in case the planner dies) keeps two planners
from doing the work twice.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from notifications import audience
from notifications.models import Delivery, Notice, Subscriber
from notifications.outbox import affected

CHUNK = 1000
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


def reached(notice: Notice, now):
    """The subscriber ids this notice goes to, by its kind."""
    if notice.kind == Notice.Kind.RESOLUTION:
        # Only those who were told it broke hear that it is fixed.
        return (
            Delivery.objects.filter(
                notice__incident_id=notice.incident_id, notice__kind=Notice.Kind.ALERT, state__in=DONE_OR_SENT
            )
            .filter(subscriber__state=Subscriber.State.ACTIVE)
            .values_list("subscriber_id", flat=True)
            .distinct()
        )
    ids = audience.subscribers(audience.reach(affected(notice.components.all()))).values_list("pk", flat=True)
    if notice.kind == Notice.Kind.ALERT:
        recently_told = Delivery.objects.filter(
            notice__kind=Notice.Kind.ALERT,
            notice__components__in=notice.components.all(),
            created_at__gte=now - ALERT_QUIET,
        ).exclude(state__in=(Delivery.State.CANCELLED, Delivery.State.SUPERSEDED))
        ids = ids.exclude(pk__in=recently_told.values("subscriber_id"))
    return ids


def plan(notice_id: int) -> list[tuple[int, int]]:
    """Write the notice's deliveries; returns the id ranges to send, CHUNK deliveries each."""
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
    channels = dict(Subscriber.objects.filter(pk__in=reached(notice, now)).values_list("pk", "channel"))
    ids = sorted(channels)
    for start in range(0, len(ids), CHUNK):
        Delivery.objects.bulk_create(
            [
                Delivery(notice=notice, subscriber_id=i, channel=channels[i], created_at=now, next_attempt_at=now)
                for i in ids[start : start + CHUNK]
            ],
            ignore_conflicts=True,
        )
    with transaction.atomic():
        Notice.objects.filter(pk=notice_id, state=Notice.State.PLANNING).update(
            state=Notice.State.SENDING, planned_at=now, lease_until=None
        )
    return batches(notice_id)


def batches(notice_id: int) -> list[tuple[int, int]]:
    """Id ranges of the notice's deliveries still to send, CHUNK at a time."""
    pending = list(
        Delivery.objects.filter(notice_id=notice_id, state=Delivery.State.PENDING)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return [(chunk[0], chunk[-1]) for chunk in (pending[i : i + CHUNK] for i in range(0, len(pending), CHUNK))]


def progress(notice_id: int) -> dict[str, int]:
    """Planned, sent, delivered, failed, ...: what the console shows."""
    counts = {s: 0 for s in Delivery.State.values}
    for row in Delivery.objects.filter(notice_id=notice_id).values("state").order_by().annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    counts["planned"] = sum(counts[s] for s in Delivery.State.values)
    return counts
