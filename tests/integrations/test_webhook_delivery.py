"""Webhooks: Statuspage-shaped, signed, retried for a day, switched off after sustained failure."""

import time
from datetime import timedelta

import jsonschema
import pytest
from django.core import mail
from django.utils import timezone

from integrations import delivery, signing, tasks
from integrations.models import Delivery, Endpoint
from statuspage.models import Component
from statuspage.publishing import open_incident
from statuspage.transitions import set_component_status
from tests.contracts.statuspage_v2 import INCIDENT

pytestmark = pytest.mark.django_db


def of(component) -> Delivery:
    """The first delivery about this component (its group changes too, and has its own)."""
    return Delivery.objects.filter(body__contains=f'"component_id":"{component.code}"').order_by("pk").first()


def send_all():
    for pk in Delivery.objects.filter(state="pending").values_list("pk", flat=True):
        delivery.deliver(pk)


def test_a_public_status_change_is_posted_signed_in_statuspage_shape(hook, receiver, broker):
    endpoint, secret = hook
    set_component_status(broker.component, "major_outage", "Spine unreachable")
    send_all()
    sent = [r for r in receiver.requests if r["json"]["component"]["id"] == broker.component.code]
    assert len(sent) == 1
    request = sent[0]
    assert signing.verify(secret, request["headers"]["X-EPS-Signature"], request["body"], int(time.time()))
    assert not signing.verify("whsec_wrong", request["headers"]["X-EPS-Signature"], request["body"], int(time.time()))
    assert request["headers"]["X-EPS-Event"] == "component_update"
    update = request["json"]["component_update"]
    assert (update["old_status"], update["new_status"]) == ("operational", "major_outage")
    assert update["component_id"] == broker.component.code
    assert request["json"]["component"]["status"] == "major_outage"  # as it is now, not as it was
    assert request["json"]["page"]["status_indicator"] in {"none", "minor", "major", "critical", "maintenance"}
    assert request["json"]["meta"]["unsubscribe"].startswith("http")
    endpoint.refresh_from_db()
    assert endpoint.last_success_at is not None and endpoint.failing_since is None


def test_a_change_the_public_cannot_see_is_no_event(hook, receiver, broker):
    set_component_status(broker.component, "not_reporting", "silent")
    Delivery.objects.all().delete()
    set_component_status(broker.component, "degraded_performance", "slow")  # both 'slower than usual' in public
    assert not Delivery.objects.filter(event="component_update", body__contains=broker.component.code).exists()


def test_an_incident_is_posted_in_the_v2_incident_shape(hook, receiver, broker):
    incident = open_incident("Pharmacy Manager down", "Investigating.", "critical", {broker.component: "major_outage"})
    send_all()
    incidents = [r["json"]["incident"] for r in receiver.requests if "incident" in r["json"]]
    assert [i["id"] for i in incidents] == [incident.code]
    jsonschema.validate(incidents[0], INCIDENT)
    assert incidents[0]["incident_updates"][0]["body"] == "Investigating."


def test_an_endpoint_following_other_systems_hears_nothing_of_this_one(hook, receiver, broker):
    endpoint, _ = hook
    endpoint.components.set(
        [Component.objects.exclude(pk=broker.component.pk).exclude(pk=broker.component.group_id).first()]
    )
    set_component_status(broker.component, "major_outage", "down")
    assert not Delivery.objects.exists()


def test_a_failure_is_retried_later_with_the_same_delivery_id(hook, receiver, broker):
    receiver.answers = [500]
    set_component_status(broker.component, "major_outage", "down")
    row = of(broker.component)
    assert delivery.deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.attempts == 1 and row.last_status == 500 and row.last_error == "Answered HTTP 500"
    assert timedelta(seconds=59) < row.next_attempt_at - row.last_attempt_at < timedelta(seconds=67)
    assert delivery.deliver(row.pk) == "not due"  # not before its time
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert delivery.deliver(row.pk) == "delivered"
    first, second = receiver.requests
    assert first["headers"]["X-EPS-Delivery"] == second["headers"]["X-EPS-Delivery"]
    assert first["body"] == second["body"]


def test_the_backoff_spans_about_a_day_then_gives_up():
    start = timezone.now()
    at, attempts = start, 0
    while True:
        attempts += 1
        nxt = delivery.retry_at(attempts, start, at)
        if nxt is None:
            break
        at = nxt
    assert attempts == 8  # the first try and seven retries
    assert timedelta(hours=20) < at - start <= timedelta(days=1)


def test_a_delivery_run_twice_at_once_is_posted_once(hook, receiver, broker):
    set_component_status(broker.component, "major_outage", "down")
    row = of(broker.component)
    assert delivery.claim(row.pk, timezone.now())
    assert delivery.deliver(row.pk) == "not due"  # the other worker holds it
    assert receiver.requests == []


def test_a_day_of_failures_switches_the_endpoint_off_and_tells_its_owner(hook, receiver, broker):
    endpoint, _ = hook
    receiver.answers = [503] * 4
    set_component_status(broker.component, "major_outage", "down")
    set_component_status(broker.component, "operational", "up")
    first = of(broker.component)
    delivery.deliver(first.pk)
    Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - timedelta(days=1, minutes=1))
    Delivery.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    assert tasks.deliver(first.pk) == "disabled"
    endpoint.refresh_from_db()
    assert endpoint.state == "disabled" and "failed for a day" in endpoint.disabled_reason
    assert not Delivery.objects.filter(state="pending").exists()
    assert Delivery.objects.filter(state="cancelled").exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["integrator@example.org"]
    assert "switched off" in mail.outbox[0].subject


def test_410_gone_switches_it_off_at_once(hook, receiver, broker):
    endpoint, _ = hook
    receiver.answers = [410]
    set_component_status(broker.component, "major_outage", "down")
    assert delivery.deliver(of(broker.component).pk) == "disabled"
    endpoint.refresh_from_db()
    assert endpoint.state == "disabled"


def test_a_private_address_is_refused_at_send_time_in_production(hook, receiver, broker, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    set_component_status(broker.component, "major_outage", "down")
    row = of(broker.component)
    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.last_error.startswith("Refused") and receiver.requests == []


def test_the_kick_after_commit_sends_it_through_the_task(hook, receiver, broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        set_component_status(broker.component, "major_outage", "down")
    assert of(broker.component).state == "delivered"
    assert {r["json"]["component"]["id"] for r in receiver.requests} == {
        broker.component.code,
        broker.component.group.code,
    }
