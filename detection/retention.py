"""Raw probes are kept PROBE_RETENTION_DAYS (14), rolled up per minute and per hour and
kept ROLLUP_RETENTION_DAYS (400). Uptime needs neither: it comes from status history."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Count, Max, Q
from django.db.models.functions import TruncHour, TruncMinute

from detection.tokens import record_last_used
from statuspage.models import Probe, ProbeRollup
from statuspage.status import ComponentStatus as S

# If the scheduler was down, catch up this far back, no further.
CATCH_UP = timedelta(days=2)
LAST_USED_WINDOW = timedelta(minutes=15)
TRUNC = {ProbeRollup.Period.MINUTE: TruncMinute, ProbeRollup.Period.HOUR: TruncHour}


def roll_up(period: str, now: datetime) -> int:
    """(Re)compute the roll-ups of every finished period since the last one. Safe to run twice:
    rows are upserted on (broker, period, start)."""
    trunc = TRUNC[period]
    latest = ProbeRollup.objects.filter(period=period).aggregate(m=Max("start"))["m"]
    since = max(latest or now - CATCH_UP, now - CATCH_UP)
    until = now.replace(second=0, microsecond=0)
    if period == ProbeRollup.Period.HOUR:
        until = until.replace(minute=0)
    rows = (
        Probe.objects.filter(received_at__gte=since, received_at__lt=until)
        .annotate(start=trunc("received_at"))
        .values("broker_id", "start")
        .annotate(
            probes=Count("id"),
            failed=Count("id", filter=~Q(verdict=S.OPERATIONAL)),
            max_queue_depth=Max("queue_depth"),
            max_oldest_message_age=Max("oldest_message_age"),
            avg_latency_ms=Avg("latency_ms"),
            max_latency_ms=Max("latency_ms"),
            avg_error_rate=Avg("error_rate"),
        )
    )
    rollups = [ProbeRollup(period=period, **row) for row in rows]
    ProbeRollup.objects.bulk_create(
        rollups,
        update_conflicts=True,
        unique_fields=["broker", "period", "start"],
        update_fields=[
            "probes",
            "failed",
            "max_queue_depth",
            "max_oldest_message_age",
            "avg_latency_ms",
            "max_latency_ms",
            "avg_error_rate",
        ],
    )
    return len(rollups)


def roll_up_and_prune(now: datetime) -> dict:
    # The job runs every 10 minutes: a quarter of an hour back covers the gap, with room.
    record_last_used(now - LAST_USED_WINDOW)
    minutes = roll_up(ProbeRollup.Period.MINUTE, now)
    hours = roll_up(ProbeRollup.Period.HOUR, now)
    probes_deleted, _ = Probe.objects.filter(
        received_at__lt=now - timedelta(days=settings.PROBE_RETENTION_DAYS)
    ).delete()
    rollups_deleted, _ = ProbeRollup.objects.filter(
        start__lt=now - timedelta(days=settings.ROLLUP_RETENTION_DAYS)
    ).delete()
    return {
        "minute_rollups": minutes,
        "hour_rollups": hours,
        "probes_deleted": probes_deleted,
        "rollups_deleted": rollups_deleted,
    }
