"""The whole path over HTTP: confirmed subscriber -> incident -> text through twilio to the fake
Twilio -> its signed receipt to our live webhook -> delivered; then STOP, and nothing more is sent."""

import logging

import pytest
import requests
from twilio.request_validator import RequestValidator

from notifications import signup
from notifications.models import Delivery, Subscriber
from statuspage.publishing import open_incident, post_update
from tests.fake_twilio_fixtures import AUTH_TOKEN
from tests.logs import eventually

pytestmark = pytest.mark.django_db(transaction=True)
NUMBER = "+447700900777"


def test_alert_receipt_stop_and_silence_after(live_server, broker, pharmacy, fake_twilio_api, settings, caplog):
    caplog.set_level(logging.DEBUG)
    settings.SITE_URL = live_server.url
    signup.activate(signup.start("sms", NUMBER, [signup.Follow("pharmacy", pharmacy.pk)], client="t"))

    incident = open_incident("Problem", "Investigating.", "major", {broker.component: "major_outage"})
    assert [m["to"] for m in fake_twilio_api.messages] == [NUMBER]
    assert eventually(lambda: Delivery.objects.filter(state="delivered").exists()), fake_twilio_api.callback_results

    url = live_server.url + "/webhooks/twilio/sms"
    form = {"From": NUMBER, "To": "+447700900000", "Body": "stop", "FromState": ""}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
    assert requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=5).status_code == 200
    assert Subscriber.objects.get().state == "opted_out"

    post_update(incident, "resolved", "Fixed.", {broker.component: "operational"})
    assert len(fake_twilio_api.messages) == 1  # stopped: not even the resolution
    assert caplog.records and NUMBER not in caplog.text and NUMBER[3:] not in caplog.text  # never logged
