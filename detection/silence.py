"""Silence is a signal too: brokers that stop reporting."""

from datetime import datetime

from django.db import transaction

from detection import health
from detection.probes import in_maintenance, move, thresholds
from statuspage.models import Broker
from statuspage.status import ComponentStatus as S


def check(now: datetime) -> int:
    """Mark brokers that have gone quiet. Only brokers that have reported at least once
    are watched: one never set up is unmonitored, not silent. Safe to run twice."""
    changed = 0
    quiet = Broker.objects.filter(silent_at__lte=now).exclude(component__status=S.MAJOR_OUTAGE)
    for broker_id in quiet.values_list("pk", flat=True):
        with transaction.atomic():
            broker = Broker.objects.select_for_update().select_related("component").get(pk=broker_id)
            verdict = health.silence(
                broker.component.status,
                broker.last_probe_at,
                now,
                broker.heartbeat_seconds,
                thresholds(broker.thresholds),
            )
            if verdict is None or in_maintenance(broker):
                continue
            move(broker, verdict.status, verdict.reason, now)
            Broker.objects.filter(pk=broker.pk).update(pending_status="", pending_count=0)
            changed += 1
    return changed
