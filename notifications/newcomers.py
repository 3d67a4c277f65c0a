"""Someone who confirms while a problem is open is told about it at once, and told when it is fixed.

The outage text went out before they joined. On confirming, they get the latest alert of every
open incident that reaches them, sent as one more delivery of that alert notice: the unique
(notice, subscriber, channel) row makes a second run send nothing, and because they are now among
the alert's recipients, the resolution reaches them like everyone else.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications import audience, delivery
from notifications.audience import affected
from notifications.channels.base import DeliveryError
from notifications.models import Delivery, Notice, Subscriber
from statuspage.models import Incident

TOLD = (Notice.State.PLANNING, Notice.State.SENDING, Notice.State.PAUSED, Notice.State.DONE)


def open_alerts(subscriber: Subscriber) -> list[Notice]:
    """The latest alert of each open incident that reaches this subscriber, if it went out."""
    found = []
    for incident in Incident.objects.unresolved():
        alert = incident.notices.filter(kind=Notice.Kind.ALERT, state__in=TOLD).order_by("-created_at").first()
        if alert is None:
            continue
        reach = audience.reach(affected(alert.components.all()))
        if audience.subscribers(reach).filter(pk=subscriber.pk).exists():
            found.append(alert)
    return found


def tell(subscriber_id: int) -> int:
    """Send each open alert that reaches a newly confirmed subscriber; how many were sent.
    Raises DeliveryError for a failure worth trying again (the task retries; the claimed row is
    handed back to pending so the retry can take it)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id, state=Subscriber.State.ACTIVE).first()
    if subscriber is None:
        return 0
    sent = 0
    for notice in open_alerts(subscriber):
        now = timezone.now()
        try:
            with transaction.atomic():
                row = Delivery.objects.create(
                    notice=notice,
                    subscriber=subscriber,
                    channel=subscriber.channel,
                    state=Delivery.State.SENDING,
                    lease_until=now + delivery.lease(),
                    next_attempt_at=now,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            # Told already (by the alert itself, or an earlier run): claim it only if a retry left it pending.
            row = Delivery.objects.filter(notice=notice, subscriber=subscriber, state=Delivery.State.PENDING).first()
            if row is None or not Delivery.objects.filter(pk=row.pk, state=Delivery.State.PENDING).update(
                state=Delivery.State.SENDING, lease_until=now + delivery.lease()
            ):
                continue
        channel = delivery.channel_for(subscriber.channel)
        try:
            provider_id = channel.send(delivery.message(notice, subscriber))
        except DeliveryError as e:
            Delivery.objects.filter(pk=row.pk, state=Delivery.State.SENDING).update(
                state=Delivery.State.FAILED if e.permanent else Delivery.State.PENDING,
                error_code=e.code[:16],
                error=str(e)[:300],
                lease_until=None,
                attempts=row.attempts + 1,
            )
            if not e.permanent:
                raise
            continue
        delivery.record_sent([(provider_id, timezone.now(), timezone.now(), row.pk)])
        sent += 1
    return sent
