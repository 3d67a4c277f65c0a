"""The one-statement path for probes that change nothing (PostgreSQL only)."""

import pytest
from django.utils import timezone

from detection.healthdoc import parse
from detection.probes import Received, record_steady
from statuspage.models import Broker, Probe
from tests.probe_docs import failing, healthy

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def steady(broker, doc):
    now = timezone.now()
    return record_steady(Received(broker.pk, parse(doc, now), now, "push", doc, heartbeat_seconds=30))


def test_a_probe_that_changes_nothing_is_stored_in_one_statement(broker):
    probe = steady(broker, healthy())
    assert probe is not None
    stored = Probe.objects.get(pk=probe.pk)
    assert (stored.verdict, stored.queue_depth, stored.document["status"]) == ("operational", 3, "pass")
    broker.refresh_from_db()
    assert broker.last_probe_at == stored.received_at
    assert (broker.silent_at - broker.last_probe_at).total_seconds() == 60


def test_a_probe_that_disagrees_with_the_status_takes_the_locked_path(broker):
    assert steady(broker, failing()) is None
    assert not Probe.objects.exists()


def test_anything_pending_takes_the_locked_path(broker):
    Broker.objects.filter(pk=broker.pk).update(pending_status="major_outage", pending_count=1)
    assert steady(broker, healthy()) is None
    assert not Probe.objects.exists()


def test_a_push_over_the_rate_is_left_to_the_locked_path_which_refuses_it(broker):
    Broker.objects.filter(pk=broker.pk).update(probes_per_minute=2)
    assert steady(broker, healthy()) is not None
    assert steady(broker, healthy()) is not None
    assert steady(broker, healthy()) is None
    assert Probe.objects.count() == 2
