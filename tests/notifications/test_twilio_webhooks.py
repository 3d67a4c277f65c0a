"""Twilio's webhooks: signed or refused; STOP in all its forms; START, HELP, JOIN, codes; receipts."""

import re

import pytest
from twilio.request_validator import RequestValidator

from notifications import signup
from notifications.models import Delivery, Subscriber
from statuspage.models import Pharmacy
from statuspage.transitions import set_component_status
from tests import factories
from tests.factories import declare
from tests.fake_twilio_fixtures import AUTH_TOKEN, signed

pytestmark = pytest.mark.django_db
TOKEN = AUTH_TOKEN  # the same token signs webhooks and authenticates API calls, as at Twilio
NUMBER = "+447700900101"


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SITE_URL = "https://status.example.nhs.uk"


def signed_post(client, path, params, token=TOKEN):
    return signed(client, path, params, token=token)


def text_in(client, body, number=NUMBER):
    return signed_post(
        client, "/webhooks/twilio/sms", {"From": number, "Body": body, "FromState": "", "To": "+447700900000"}
    )


@pytest.mark.parametrize("path", ["/webhooks/twilio/sms", "/webhooks/twilio/status"])
def test_unsigned_or_wrongly_signed_webhooks_are_403(client, path):
    params = {"From": NUMBER, "Body": "STOP", "MessageSid": "SM1", "MessageStatus": "delivered"}
    assert client.post(path, params).status_code == 403
    assert signed_post(client, path, params, token="someone-else").status_code == 403
    signature = RequestValidator(TOKEN).compute_signature("https://status.example.nhs.uk" + path, params)
    tampered = {**params, "Body": "START", "MessageStatus": "failed"}
    assert client.post(path, tampered, headers={"X-Twilio-Signature": signature}).status_code == 403


def test_a_blank_field_counts_in_the_signature(client, people):
    assert text_in(client, "HELP").status_code == 200  # FromState="" is part of what was signed


@pytest.mark.parametrize(
    "word", ["STOP", "stop", " Stop. ", "ＳＴＯＰ", "StopAll", "UNSUBSCRIBE", "cancel", "End", "quit"]
)
def test_every_way_of_saying_stop_stops_the_texts(client, people, word):
    assert text_in(client, word).status_code == 200
    people["mine"].refresh_from_db()
    assert people["mine"].state == "opted_out"


def test_start_brings_back_someone_who_had_confirmed(client, people):
    text_in(client, "STOP")
    text_in(client, "start")
    people["mine"].refresh_from_db()
    assert people["mine"].state == "active"


def test_help_explains_how_to_stop(client, people):
    response = text_in(client, "help")
    assert b"Reply STOP to end" in response.content and response["Content-Type"] == "text/xml"


def test_unknown_words_get_a_helpful_reply_not_silence(client, people):
    assert b"Reply HELP" in text_in(client, "what is this").content


def test_join_with_a_pharmacy_code_starts_the_double_opt_in(
    client, people, fake_twilio_api, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = text_in(client, "join fw844", number="+447700900199")
    assert b"Station Pharmacy" in response.content
    joiner = signup.find("sms", "+447700900199")
    assert joiner.state == "pending"
    [code_text] = [m["body"] for m in fake_twilio_api.messages]
    code = code_text.split("your code is ")[1][:6]
    assert b"subscribed" in text_in(client, code, number="+447700900199").content
    joiner.refresh_from_db()
    assert joiner.state == "active"
    assert joiner.subscriptions.get().pharmacy == Pharmacy.objects.get(ods_code="FW844")


def test_join_with_an_unknown_code_says_so(client, people):
    assert b"could not find a pharmacy with the code FX999" in text_in(client, "JOIN FX999").content


def test_receipts_move_deliveries_forward_and_repeats_change_nothing(
    client, broker, people, fake_twilio_api, django_capture_on_commit_callbacks
):
    fake_twilio_api.configure({"callbacks": []})
    declare(broker, django_capture_on_commit_callbacks)
    d = Delivery.objects.get(subscriber=people["mine"])
    for status in ("delivered", "sent", "delivered"):
        response = signed_post(
            client, "/webhooks/twilio/status", {"MessageSid": d.provider_id, "MessageStatus": status}
        )
        assert response.status_code == 204
    d.refresh_from_db()
    assert d.state == "delivered"


def test_stopped_subscribers_get_no_more_alerts(
    client, broker, people, fake_twilio_api, django_capture_on_commit_callbacks
):
    text_in(client, "STOP")
    declare(broker, django_capture_on_commit_callbacks)
    assert NUMBER not in [m["to"] for m in fake_twilio_api.messages]
    assert Subscriber.objects.get(pk=people["mine"].pk).state == "opted_out"


def _reply(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode()).strip()


@pytest.mark.parametrize("body", ["STATUS FW844", "status fw844", "Status: LS1 4AP", "STATUS ls14ap", "status station"])
def test_status_by_code_postcode_or_name_answers_with_the_pharmacys_sentence(client, pharmacy, body):
    reply = _reply(text_in(client, body))
    assert "Prescriptions are reaching Station Pharmacy as usual" in reply
    assert "status.example.nhs.uk/pharmacies/FW844/" in reply


@pytest.mark.django_db(transaction=True)
def test_status_during_an_outage_says_not_to_ring_the_gp(client, pharmacy, broker):
    set_component_status(broker.component, "major_outage", "Spine unreachable")
    reply = _reply(text_in(client, "STATUS FW844"))
    assert "Pharmacy Manager, the system used by Station Pharmacy, is not working" in reply
    assert "you do not need to contact your GP practice" in reply


def test_status_with_several_pharmacies_at_a_postcode_lists_them(client, pharmacy):
    factories.pharmacy(pharmacy.system, "FX111", "Corner Chemist", "LS1 4AP")
    reply = _reply(text_in(client, "STATUS LS1 4AP"))
    assert "FW844 Station Pharmacy: Pharmacy Manager is working normally." in reply
    assert "FX111 Corner Chemist" in reply and "Text STATUS and a code" in reply


@pytest.mark.parametrize("body", ["STATUS FZZZ9", "STATUS ZZ9 9ZZ", "STATUS 1LS 4AP", "STATUS nowhere at all"])
def test_status_for_something_unknown_gets_a_hint_not_silence(client, pharmacy, body):
    reply = _reply(text_in(client, body))
    assert "We could not find a pharmacy for" in reply and "STATUS LS1 4AP" in reply


def test_status_alone_gives_the_national_picture(client, pharmacy):
    assert "prescriptions are being sent as normal" in _reply(text_in(client, "STATUS"))


def test_an_unknown_text_mentions_status(client, pharmacy):
    assert "Reply STATUS and your pharmacy's code" in _reply(text_in(client, "hello?"))
