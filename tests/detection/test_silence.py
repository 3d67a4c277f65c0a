from datetime import timedelta

import pytest
from django.utils import timezone

from detection import silence
from statuspage.models import Broker, IncidentDraft, Vital
from statuspage.publishing import post_update, schedule_maintenance
from statuspage.status import ComponentStatus as S

pytestmark = pytest.mark.django_db


def reported(broker, seconds_ago=0):
    at = timezone.now() - timedelta(seconds=seconds_ago)
    Broker.objects.filter(pk=broker.pk).update(last_probe_at=at, silent_at=at + timedelta(seconds=60))
    return at


def status(broker):
    broker.component.refresh_from_db()
    return broker.component.status


def test_two_missed_heartbeats_make_a_broker_not_reporting(broker):
    last = reported(broker)
    assert silence.check(last + timedelta(seconds=59)) == 0
    assert status(broker) == S.OPERATIONAL
    assert silence.check(last + timedelta(seconds=60)) == 1
    assert status(broker) == S.NOT_REPORTING
    assert broker.component.status_reason == "No health report for 1 min; expected every 30 s"


def sweeps(start, until, reporting=()):
    """The sweep every 15 s, as beat runs it (a gap between sweeps is our own outage, not the
    brokers'), with the ``reporting`` brokers reporting just before each."""
    at = start
    while at <= until:
        report_all(reporting, at - timedelta(seconds=1))
        silence.check(at)
        at += timedelta(seconds=15)


def test_still_silent_after_five_minutes_is_a_major_outage(broker):
    last = reported(broker)
    sweeps(last + timedelta(seconds=60), last + timedelta(minutes=5))
    assert status(broker) == S.MAJOR_OUTAGE
    assert silence.check(last + timedelta(minutes=6)) == 0


def test_the_public_sees_silence_as_slower_than_usual_and_ops_get_a_draft(client, broker):
    last = reported(broker)
    silence.check(last + timedelta(seconds=60))
    components = client.get("/api/v2/components.json").json()["components"]
    assert {c["id"]: c["status"] for c in components}[broker.component.code] == "degraded_performance"
    assert IncidentDraft.objects.filter(broker=broker).exists()


def test_a_broker_that_never_reported_is_unmonitored_not_silent(broker):
    assert silence.check(timezone.now() + timedelta(hours=1)) == 0
    assert status(broker) == S.OPERATIONAL


def test_maintenance_mutes_silence(broker):
    last = reported(broker)
    m = schedule_maintenance("Upgrade", "Planned.", [broker.component], last, last + timedelta(hours=1))
    post_update(m, "in_progress", "Started.", {broker.component: S.UNDER_MAINTENANCE})
    silence.check(last + timedelta(minutes=10))
    assert status(broker) == S.UNDER_MAINTENANCE


def test_running_the_sweep_twice_changes_nothing_more(broker):
    last = reported(broker)
    assert silence.check(last + timedelta(seconds=61)) == 1
    assert silence.check(last + timedelta(seconds=61)) == 0
    assert broker.component.status_changes.count() == 1


def watched(broker):
    """The broker and its three siblings, all reporting: four watched brokers."""
    brokers = list(Broker.objects.filter(supplier=broker.supplier).select_related("component"))
    assert len(brokers) == 4
    return brokers


def report_all(brokers, at):
    for b in brokers:
        Broker.objects.filter(pk=b.pk).update(last_probe_at=at, silent_at=at + timedelta(seconds=60))


def test_a_sweep_that_did_not_run_is_our_outage_and_blames_nobody(broker):
    brokers = watched(broker)
    start = timezone.now()
    report_all(brokers, start)
    silence.check(start + timedelta(seconds=10))
    # Beat, the worker, Redis or the database was away for ten minutes: no sweep ran.
    back = start + timedelta(minutes=10)
    assert silence.check(back) == 0
    # The others report again; the first does not.
    sweeps(back + timedelta(seconds=15), back + timedelta(seconds=75), reporting=brokers[1:])
    assert [status(b) for b in brokers] == [S.NOT_REPORTING, S.OPERATIONAL, S.OPERATIONAL, S.OPERATIONAL]
    assert IncidentDraft.objects.filter(broker__in=brokers).count() == 1
    # Found only once its grace (two heartbeats from our recovery) was over.
    change = brokers[0].component.status_changes.get()
    assert change.at >= back + timedelta(seconds=60)


def test_when_nobody_at_all_is_heard_the_silence_is_ours(broker):
    brokers = watched(broker)
    start = timezone.now()
    report_all(brokers, start)
    # Our web (or the way in) is down: no probe from anyone for three minutes, the sweep running throughout.
    sweeps(start + timedelta(seconds=15), start + timedelta(minutes=3))
    assert all(status(b) == S.OPERATIONAL for b in brokers)
    assert not IncidentDraft.objects.exists()
    sweeps(start + timedelta(minutes=3, seconds=15), start + timedelta(minutes=4, seconds=30), reporting=brokers[1:])
    assert [status(b) for b in brokers] == [S.NOT_REPORTING, S.OPERATIONAL, S.OPERATIONAL, S.OPERATIONAL]


def test_a_pull_broker_is_not_blamed_while_the_pool_that_fetches_it_is_away(broker):
    brokers = watched(broker)
    pulled = brokers[0]
    Broker.objects.filter(pk=pulled.pk).update(pull_url="https://supplier.example/health")
    start = timezone.now()
    report_all(brokers, start)
    # The outbound pool left its last heartbeat, then stopped; the push brokers keep reporting.
    Vital.objects.create(name="pool:outbound", at=start)
    sweeps(start + timedelta(seconds=15), start + timedelta(minutes=3), reporting=brokers[1:])
    assert status(pulled) == S.OPERATIONAL
    # Back: its fetches resume, but this broker's endpoint says nothing; it is found after its grace.
    back = start + timedelta(minutes=3, seconds=15)
    Vital.objects.filter(name="pool:outbound").update(at=back + timedelta(seconds=75))  # beating throughout
    sweeps(back, back + timedelta(seconds=45), reporting=brokers[1:])
    assert status(pulled) == S.OPERATIONAL
    sweeps(back + timedelta(seconds=60), back + timedelta(seconds=75), reporting=brokers[1:])
    assert status(pulled) == S.NOT_REPORTING
