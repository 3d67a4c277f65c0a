"""Our Twilio channel, through the unmodified twilio library, against the project's fake Twilio."""

import json
import urllib.request

import pytest

from notifications.channels.base import DeliveryError, Message
from notifications.channels.sms import sms_channel

NUMBER = "+447700900123"


def test_a_text_is_handed_to_twilio_with_our_status_callback(fake_twilio_api, settings):
    sid = sms_channel().send(Message(NUMBER, "EPS Status: test"))
    assert sid.startswith("SM")
    [form] = fake_twilio_api.forms
    assert form["To"] == NUMBER
    assert form["Body"] == "EPS Status: test"
    assert form["MessagingServiceSid"] == settings.TWILIO_MESSAGING_SERVICE_SID
    assert form["StatusCallback"] == settings.SITE_URL + "/webhooks/twilio/status"


def test_without_a_messaging_service_the_from_number_is_used(fake_twilio_api, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_FROM = "+447700900001"
    sms_channel().send(Message(NUMBER, "hello"))
    assert fake_twilio_api.forms[0]["From"] == "+447700900001"


@pytest.mark.parametrize(
    ("behaviour", "permanent", "code", "effect"),
    [
        ({"fail": "429"}, False, "20429", ""),
        ({"fail": "500"}, False, "20500", ""),
        ({"opted_out": [NUMBER]}, True, "21610", "opted_out"),
        ({"not_mobile": [NUMBER]}, True, "21614", "invalid"),
    ],
)
def test_failures_say_whether_to_retry_and_what_they_mean_for_the_number(
    fake_twilio_api, behaviour, permanent, code, effect
):
    fake_twilio_api.configure(behaviour)
    with pytest.raises(DeliveryError) as failed:
        sms_channel().send(Message(NUMBER, "hello"))
    assert (failed.value.permanent, failed.value.code, failed.value.effect) == (permanent, code, effect)
    assert NUMBER not in str(failed.value)


def test_an_invalid_number_is_permanent(fake_twilio_api):
    with pytest.raises(DeliveryError) as failed:
        sms_channel().send(Message("447700900123", "hello"))
    assert (failed.value.permanent, failed.value.code, failed.value.effect) == (True, "21211", "invalid")


def test_a_provider_that_hangs_is_a_temporary_failure(fake_twilio_api, settings):
    settings.SMS_DEADLINE_SECONDS = 0.5
    fake_twilio_api.configure({"fail": "hang", "hang_seconds": 2})
    with pytest.raises(DeliveryError) as failed:
        sms_channel().send(Message(NUMBER, "hello"))
    assert (failed.value.permanent, failed.value.code) == (False, "timeout")


def test_a_provider_that_trickles_its_answer_is_cut_off_at_the_deadline(trickling_twilio, settings):
    """Each byte arrives within any per-read timeout; the whole answer never arrives in time."""
    settings.SMS_DEADLINE_SECONDS = 1.0
    with pytest.raises(DeliveryError) as failed:
        sms_channel().send(Message(NUMBER, "hello"))
    assert (failed.value.permanent, failed.value.code) == (False, "timeout")


def test_wrong_credentials_are_refused_like_twilio_does(fake_twilio_api, settings):
    settings.TWILIO_AUTH_TOKEN = "wrong"
    with pytest.raises(DeliveryError) as failed:
        sms_channel().send(Message(NUMBER, "hello"))
    assert failed.value.permanent and failed.value.code == "20003"


def test_the_fake_answers_a_client_that_closes_after_each_request(twilio_server):
    """urllib asks for Connection: close; the answer must still be whole."""

    with urllib.request.urlopen(f"http://127.0.0.1:{twilio_server.server_port}/_fake/stats", timeout=5) as answer:
        assert "accepted" in json.loads(answer.read())
