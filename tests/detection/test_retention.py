from datetime import timedelta

import pytest
from django.utils import timezone

from detection import retention
from statuspage.models import Probe, ProbeRollup
from tests import factories

pytestmark = pytest.mark.django_db


def probe(broker, at, verdict="operational", latency=400.0, depth=2):
    return factories.probe(broker, at, verdict, latency_ms=latency, queue_depth=depth)


def test_probes_roll_up_per_minute_and_per_hour(broker):
    now = timezone.now().replace(minute=30, second=0, microsecond=0)
    base = now - timedelta(hours=1, minutes=20)  # 10 minutes into the previous hour but one
    probe(broker, base + timedelta(seconds=5), latency=200)
    probe(broker, base + timedelta(seconds=35), verdict="major_outage", latency=600, depth=90)
    probe(broker, base + timedelta(minutes=1, seconds=5))
    retention.roll_up_and_prune(now)
    minute = ProbeRollup.objects.get(period="minute", start=base)
    assert (minute.probes, minute.failed, minute.max_queue_depth) == (2, 1, 90)
    assert (minute.avg_latency_ms, minute.max_latency_ms) == (400, 600)
    hour = ProbeRollup.objects.get(period="hour")
    assert (hour.probes, hour.failed) == (3, 1)


def test_rolling_up_twice_gives_the_same_rows(broker):
    now = timezone.now().replace(second=0, microsecond=0)
    probe(broker, now - timedelta(minutes=3))
    retention.roll_up_and_prune(now)
    retention.roll_up_and_prune(now)
    assert ProbeRollup.objects.filter(period="minute").count() == 1
    assert ProbeRollup.objects.get(period="minute").probes == 1


def test_raw_probes_go_after_14_days_and_roll_ups_after_400(broker):
    now = timezone.now()
    probe(broker, now - timedelta(days=15))
    kept = probe(broker, now - timedelta(days=13))
    ProbeRollup.objects.create(broker=broker, period="hour", start=now - timedelta(days=401), probes=1, failed=0)
    ProbeRollup.objects.create(broker=broker, period="hour", start=now - timedelta(days=399), probes=1, failed=0)
    result = retention.roll_up_and_prune(now)
    assert list(Probe.objects.all()) == [kept]
    assert result["probes_deleted"] == 1 and result["rollups_deleted"] == 1
    assert ProbeRollup.objects.filter(start__lt=now - timedelta(days=400)).count() == 0
