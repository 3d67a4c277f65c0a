"""Texts, emails and replies in Welsh for people who chose Welsh."""

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest

from demo.subscribers import add_confirmed
from notifications.delivery import message
from notifications.models import Notice, Subscriber
from tests import factories
from tests.factories import declare
from tests.fake_twilio_fixtures import AUTH_TOKEN, SITE, signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN


@pytest.fixture
def welsh_pharmacy(broker):
    return factories.pharmacy(broker.supplier, "FA123", "Fferyllfa'r Castell", "CF10 1AA", "wales")


def test_a_welsh_subscriber_gets_the_welsh_alert_with_a_welsh_link(broker, people, django_capture_on_commit_callbacks):
    incident = declare(broker, django_capture_on_commit_callbacks)
    notice = Notice.objects.get(incident=incident)
    welsh = people["mine"]
    welsh.language = "cy"
    english = message(notice, people["nation"]).body
    text = message(notice, welsh).body
    assert "Pharmacy Manager pharmacies in England" in english
    assert "phresgripsiynau i fferyllfeydd Pharmacy Manager yn Lloegr" in text
    assert f"status.example.nhs.uk/cy/i/{incident.code}" in text
    assert "STOP" in text


def test_a_welsh_email_has_a_welsh_subject_and_footer(broker, django_capture_on_commit_callbacks):
    reader = add_confirmed("email", "darllenydd@example.org", scope="all")
    reader.language = "cy"
    incident = declare(broker, django_capture_on_commit_callbacks)
    email = message(Notice.objects.get(incident=incident), reader)
    assert email.subject.startswith("Efallai y bydd oedi gyda phresgripsiynau")
    assert (
        "Atal y negeseuon e-bost hyn neu ddileu eich manylion: https://status.example.nhs.uk/cy/subscribe/unsubscribe/"
        in email.body
    )


def test_signing_up_on_the_welsh_page_makes_a_welsh_subscriber(
    client, pharmacy, fake_twilio_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cy/subscribe/",
            {"follow": "pharmacy", "pharmacy": "FW844", "channel": "sms", "sms_address": "07700 900321"},
        )
    assert response.status_code == 302 and response["Location"].startswith("/cy/subscribe/check/")
    assert Subscriber.objects.get().language == "cy"
    code_text = fake_twilio_api.messages[-1]["body"]
    assert code_text.startswith("Rhybuddion presgripsiwn y GIG: eich cod yw ")


def test_welsh_errors_on_the_welsh_form(client, pharmacy):
    response = client.post(
        "/cy/subscribe/", {"follow": "pharmacy", "pharmacy": "FW844", "channel": "sms", "sms_address": "0113 496 0000"}
    )
    assert response.status_code == 400
    assert "Rhowch rif ffôn symudol sy&#x27;n dechrau 07" in response.content.decode()


def _text(client, body, number="+447700900111"):
    response = signed(client, "/webhooks/twilio/sms", {"From": number, "Body": body, "To": "+447700900000"})
    return re.sub(r"<[^>]+>", " ", response.content.decode()).strip()


def test_statws_answers_in_welsh_and_status_in_english(client, welsh_pharmacy):
    welsh = unescape(_text(client, "STATWS FA123"))
    assert welsh.startswith(
        "GIG: Mae presgripsiynau'n cyrraedd Fferyllfa'r Castell fel arfer. "
        "Mae ei system, Pharmacy Manager, yn gweithio."
    )
    assert "status.example.nhs.uk/cy/pharmacies/FA123/" in welsh
    assert "Its system, Pharmacy Manager, is working" in _text(client, "STATUS FA123")


def test_cymorth_is_help_in_welsh_and_a_welsh_subscriber_gets_welsh_replies(client, people):
    assert "Rhybuddion presgripsiwn y GIG" in _text(client, "CYMORTH")
    people["mine"].language = "cy"
    people["mine"].save()
    assert "Rhybuddion presgripsiwn y GIG" in _text(client, "HELP", number="+447700900101")


def test_the_phone_line_speaks_welsh_with_a_welsh_voice(client, broker):
    response = signed(client, "/webhooks/twilio/voice?language=cy", {"CallSid": "CA1"})
    say = ET.fromstring(response.content).find("Say")
    assert say.get("language") == "cy-GB" and say.get("voice") == "Polly.Gwyneth"
    assert say.text == "Does dim problemau hysbys gyda phresgripsiynau electronig."
