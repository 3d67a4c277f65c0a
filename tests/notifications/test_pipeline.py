"""Publish -> outbox notice -> fan-out -> sends through the real twilio library to the fake Twilio."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from demo.subscribers import add_confirmed
from notifications import audience, delivery, fanout, outbox, receipts
from notifications.channels.sms import sms_channel
from notifications.models import Delivery, Notice
from statuspage.publishing import open_incident, post_update
from tests.factories import declare, subscriber

pytestmark = pytest.mark.django_db


def sent_to(fake) -> list[str]:
    return sorted(m["to"] for m in fake.messages)


def test_a_declared_incident_texts_exactly_the_people_it_affects(
    broker, people, fake_twilio_api, django_capture_on_commit_callbacks
):
    declare(broker, django_capture_on_commit_callbacks)
    assert sent_to(fake_twilio_api) == ["+447700900101", "+447700900102", "+447700900103"]
    body = fake_twilio_api.messages[0]["body"]
    assert "need to contact your GP" in body and "STOP" in body and "/i/" in body
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


def test_the_notice_is_written_with_the_update_even_if_nothing_is_dispatched(broker, people):
    incident = open_incident("Problem", "Investigating.", "major", {broker.component: "major_outage"})
    notice = Notice.objects.get(incident=incident)
    assert (notice.kind, notice.state) == ("alert", "pending")


def test_planning_and_sending_twice_never_doubles(broker, people, fake_twilio_api, django_capture_on_commit_callbacks):
    incident = open_incident("Problem", "Investigating.", "major", {broker.component: "major_outage"})
    notice = Notice.objects.get(incident=incident)
    ranges = fanout.plan(notice.pk)
    assert fanout.plan(notice.pk) == []  # claimed already
    for r in ranges + ranges:
        delivery.send_batch(notice.pk, *r)
    assert len(fake_twilio_api.messages) == 3 and Delivery.objects.count() == 3


def test_the_resolution_goes_only_to_those_who_got_the_alert(
    broker, people, fake_twilio_api, django_capture_on_commit_callbacks
):
    incident = declare(broker, django_capture_on_commit_callbacks)
    later = subscriber("+447700900106", scope="nation", nation="england")
    fake_twilio_api.reset()
    with django_capture_on_commit_callbacks(execute=True):
        post_update(incident, "resolved", "Fixed.", {broker.component: "operational"})
    assert sent_to(fake_twilio_api) == ["+447700900101", "+447700900102", "+447700900103"]
    assert "arriving again" in fake_twilio_api.messages[0]["body"]
    assert not later.deliveries.exists()


def test_an_ordinary_update_sends_nothing_unless_the_publisher_asks(
    broker, people, fake_twilio_api, django_capture_on_commit_callbacks
):
    incident = declare(broker, django_capture_on_commit_callbacks)
    fake_twilio_api.reset()
    with django_capture_on_commit_callbacks(execute=True):
        post_update(incident, "identified", "Found the cause.")
    assert fake_twilio_api.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        post_update(incident, "monitoring", "A fix is in.", notify=True)
    assert len(fake_twilio_api.messages) == 3


def test_a_second_outage_of_the_same_system_within_the_hour_is_not_texted_again(
    broker, people, fake_twilio_api, django_capture_on_commit_callbacks
):
    first = declare(broker, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        post_update(first, "resolved", "Fixed.", {broker.component: "operational"})
    fake_twilio_api.reset()
    declare(broker, django_capture_on_commit_callbacks)
    assert fake_twilio_api.messages == []


def test_a_number_that_opted_out_with_twilio_is_never_texted_again(
    broker, people, fake_twilio_api, django_capture_on_commit_callbacks
):
    fake_twilio_api.configure({"opted_out": ["+447700900101"]})
    declare(broker, django_capture_on_commit_callbacks)
    failed = Delivery.objects.get(subscriber=people["mine"])
    assert (failed.state, failed.error_code) == ("failed", "21610")
    people["mine"].refresh_from_db()
    assert people["mine"].state == "opted_out"
    assert "+447700900101" not in failed.error


def test_a_temporary_failure_waits_in_the_database_and_is_sent_when_due(
    broker, people, fake_twilio_api, django_capture_on_commit_callbacks
):
    fake_twilio_api.configure({"fail": "429"})
    declare(broker, django_capture_on_commit_callbacks)
    assert fake_twilio_api.messages == []
    waiting = Delivery.objects.filter(state="pending")
    assert waiting.count() == 3 and all(d.next_attempt_at > d.created_at for d in waiting)
    fake_twilio_api.configure({"fail": None})
    Delivery.objects.update(next_attempt_at=Delivery.objects.first().created_at)
    for notice_id, first_id, last_id in delivery.sweep():
        delivery.send_batch(notice_id, first_id, last_id)
    assert len(fake_twilio_api.messages) == 3
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {2}


def test_a_delivery_whose_worker_died_is_handed_back_after_its_lease(broker, people):
    incident = open_incident("Problem", "Investigating.", "major", {broker.component: "major_outage"})
    notice = Notice.objects.get(incident=incident)
    [(first_id, last_id)] = fanout.plan(notice.pk)
    claimed = delivery.claim(notice.pk, first_id, last_id, timezone.now())
    assert len(claimed) == 3 and delivery.claim(notice.pk, first_id, last_id, timezone.now()) == []
    assert delivery.sweep(timezone.now() + delivery.lease() + timedelta(seconds=1))
    assert Delivery.objects.filter(state="pending").count() == 3


@pytest.mark.parametrize(
    ("statuses", "final"),
    [(["sent", "delivered"], "delivered"), (["delivered", "sent"], "delivered"), (["failed", "sent"], "failed")],
)
def test_receipts_only_move_a_delivery_forward(
    broker, people, statuses, final, fake_twilio_api, django_capture_on_commit_callbacks
):
    fake_twilio_api.configure({"callbacks": []})
    declare(broker, django_capture_on_commit_callbacks)
    d = Delivery.objects.get(subscriber=people["mine"])
    for status in statuses:
        receipts.apply_receipt(d.provider_id, status)
    d.refresh_from_db()
    assert d.state == final


def test_ops_can_pause_resume_and_cancel_a_fan_out(broker, people, fake_twilio_api):
    incident = open_incident("Problem", "Investigating.", "major", {broker.component: "major_outage"})
    notice = Notice.objects.get(incident=incident)
    [batch] = fanout.plan(notice.pk)
    assert fanout.pause(notice.pk)
    assert delivery.send_batch(notice.pk, *batch) == 0 and fake_twilio_api.messages == []
    assert fanout.resume(notice.pk)
    assert fanout.cancel(notice.pk) == 3
    assert delivery.send_batch(notice.pk, *batch) == 0 and fake_twilio_api.messages == []
    assert fanout.progress(notice.pk)["cancelled"] == 3


def test_a_text_sent_by_a_worker_that_died_before_recording_it_is_not_sent_again(broker, people, fake_twilio_api):
    incident = open_incident("Problem", "Investigating.", "major", {broker.component: "major_outage"})
    notice = Notice.objects.get(incident=incident)
    [(first_id, last_id)] = fanout.plan(notice.pk)
    [doomed, *_] = delivery.claim(notice.pk, first_id, last_id, timezone.now(), limit=1)
    d = Delivery.objects.select_related("subscriber").get(pk=doomed)
    # The text as the sender words it (naming the pharmacy they follow), accepted; then the worker is killed.
    followed = delivery.followed_pharmacies([d.subscriber_id]).get(d.subscriber_id)
    reach = audience.reach(audience.affected(notice.components.all()))
    sid = sms_channel().send(delivery.message(notice, d.subscriber, followed, reach))
    delivery.sweep(timezone.now() + delivery.lease() + timedelta(seconds=1))
    delivery.send_batch(notice.pk, first_id, last_id)
    assert len(fake_twilio_api.messages) == 3  # one each, the doomed one not twice
    d.refresh_from_db()
    assert (d.state, d.provider_id) == ("sent", sid)


def test_a_notice_whose_tasks_were_lost_is_queued_again_but_a_moving_one_is_not(broker, people):
    incident = open_incident("Problem", "Investigating.", "major", {broker.component: "major_outage"})
    notice = Notice.objects.get(incident=incident)
    [batch] = fanout.plan(notice.pk)  # its send task is queued... and then Redis loses it
    assert delivery.sweep() == []  # just planned: its tasks are presumably on their way
    later = timezone.now() + delivery.stalled() + timedelta(seconds=1)
    assert delivery.sweep(later) == [(notice.pk, *batch)]
    Notice.objects.filter(pk=notice.pk).update(progress_at=later)
    assert delivery.sweep(later) == []


def test_a_receipt_that_overtakes_our_record_of_the_send_is_applied_when_the_send_is_recorded(broker, people):
    incident = open_incident("Problem", "Investigating.", "major", {broker.component: "major_outage"})
    notice = Notice.objects.get(incident=incident)
    [(first_id, last_id)] = fanout.plan(notice.pk)
    [claimed] = delivery.claim(notice.pk, first_id, last_id, timezone.now(), limit=1)
    assert not receipts.apply_receipt("SM" + "e" * 32, "delivered")  # Twilio was quicker than our write
    now = timezone.now()
    delivery.record_sent([("SM" + "e" * 32, now, now, claimed)])
    assert Delivery.objects.get(pk=claimed).state == "delivered"


@pytest.mark.django_db(transaction=True)  # the sender runs in a thread of its own, with its own connection
def test_pausing_while_texts_are_in_flight_stops_the_rest_within_moments(
    broker, people, fake_twilio_api, settings, monkeypatch
):

    monkeypatch.setattr(outbox, "kick", lambda notice_id: None)  # as if the queue were down at publish

    for n in range(20):
        add_confirmed("sms", f"+4477009006{n:02d}", scope="all")
    settings.SMS_IN_FLIGHT = 2
    settings.SMS_PER_SECOND = 1000
    fake_twilio_api.configure({"latency_ms": 200, "callbacks": []})  # Twilio's time: two at once, ~10 a second
    incident = open_incident("Problem", "Investigating.", "major", {broker.component: "major_outage"})
    notice = Notice.objects.get(incident=incident)
    [batch] = fanout.plan(notice.pk)

    def send() -> None:
        try:
            delivery.send_batch(notice.pk, *batch)
        finally:
            connection.close()  # this thread's own connection

    sending = threading.Thread(target=send)
    sending.start()
    give_up = time.monotonic() + 30
    while not fake_twilio_api.messages and time.monotonic() < give_up:
        sending.join(0.01)
    assert fanout.pause(notice.pk)
    sending.join()
    sent = len(fake_twilio_api.messages)
    assert sent < 23  # stopped with most still waiting
    assert Delivery.objects.filter(notice=notice, state="pending").count() == 23 - sent
    assert not Delivery.objects.filter(notice=notice, state="sending").exists()  # what was in flight was recorded
