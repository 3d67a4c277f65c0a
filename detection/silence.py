"""Silence is a signal too: brokers that stop reporting. But only silence that is theirs: while we
could not hear anyone (our own outage), nobody is judged, and everyone gets a grace period after."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max, Min

from detection import health
from detection.probes import in_maintenance, move, thresholds
from statuspage.models import Broker, Vital
from statuspage.status import ComponentStatus as S

log = logging.getLogger(__name__)
SWEEP, QUIET, RECOVERED = "silence-sweep", "everyone-quiet", "recovered"
# Pull brokers are heard through the outbound pool: while it is away their silence is ours too.
OUTBOUND, PULLS_AWAY = "pool:outbound", "pulls-away"


def check(now: datetime) -> int:
    """Mark brokers that have gone quiet. Only brokers that have reported at least once
    are watched: one never set up is unmonitored, not silent. Safe to run twice."""
    judge, recovered = _own_health(now)
    if not judge:
        return 0
    changed = 0
    quiet = Broker.objects.filter(silent_at__lte=now).exclude(component__status=S.MAJOR_OUTAGE)
    if _pulls_away(now):
        quiet = quiet.filter(pull_url="")
    for broker_id in quiet.values_list("pk", flat=True):
        with transaction.atomic():
            broker = Broker.objects.select_for_update().select_related("component").get(pk=broker_id)
            # Time we could not hear anyone is not counted against the broker.
            heard = max(broker.last_probe_at, recovered) if recovered else broker.last_probe_at
            verdict = health.silence(
                broker.component.status,
                heard,
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


@transaction.atomic
def _own_health(now: datetime) -> tuple[bool, datetime | None]:
    """Whether this sweep may judge anyone, and when we last recovered from an outage of our own.
    Judged and recorded under a lock, so two sweeps at once agree."""
    sweep, _ = Vital.objects.select_for_update().get_or_create(name=SWEEP)
    quiet, _ = Vital.objects.select_for_update().get_or_create(name=QUIET)
    recovered, _ = Vital.objects.select_for_update().get_or_create(name=RECOVERED)
    watched = Broker.objects.filter(silent_at__isnull=False).aggregate(
        n=Count("pk"), newest=Max("last_probe_at"), shortest=Min("heartbeat_seconds")
    )
    own = health.own_health(sweep.at, now, watched["n"], watched["newest"], watched["shortest"], quiet.at)
    if own.grace:
        granted = grace(now)
        Vital.objects.filter(name=RECOVERED).update(at=now)
        log.warning("silence: %s; %d brokers get %d heartbeats' grace", own.why, granted, health.GRACE_HEARTBEATS)
    elif not own.judge and quiet.at is None:
        log.warning("silence: %s; judging nobody until they do", own.why)
    if sweep.at is None or now > sweep.at:
        Vital.objects.filter(name=SWEEP).update(at=now)
    Vital.objects.filter(name=QUIET).update(at=own.quiet_since)
    return own.judge, recovered.at


@transaction.atomic
def _pulls_away(now: datetime) -> bool:
    """Whether the outbound pool, which fetches pull brokers, is away; when it is back, pull brokers
    get their grace."""
    outbound = Vital.objects.filter(name=OUTBOUND).values_list("at", flat=True).first()
    held, _ = Vital.objects.select_for_update().get_or_create(name=PULLS_AWAY)
    if health.pool_away(outbound, now):
        if held.at is None:
            log.warning("silence: the outbound pool is away; pull brokers are not judged until it is back")
            Vital.objects.filter(name=PULLS_AWAY).update(at=now)
        return True
    if held.at is not None:
        grace(now, Broker.objects.exclude(pull_url=""))
        Vital.objects.filter(name=PULLS_AWAY).update(at=None)
    return False


def grace(now: datetime, brokers=None) -> int:
    """Every watched broker (of ``brokers``, else all) may stay quiet for GRACE_HEARTBEATS of its own
    heartbeats from now."""
    granted = 0
    watched = (Broker.objects.all() if brokers is None else brokers).filter(silent_at__isnull=False)
    for heartbeat in watched.values_list("heartbeat_seconds", flat=True).distinct():
        until = now + timedelta(seconds=heartbeat * health.GRACE_HEARTBEATS)
        granted += watched.filter(heartbeat_seconds=heartbeat, silent_at__lt=until).update(silent_at=until)
    return granted
