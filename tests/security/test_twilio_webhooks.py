"""Twilio's webhooks: a retried delivery is answered once, not acted on twice; SharedKey
(HMAC-SHA256) signatures are accepted; practices on their own Twilio accounts have signed URLs;
``?then=`` is matched by exact host."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from twilio.request_validator import RequestValidator

from notifications import webhooks
from tests.fake_twilio_fixtures import AUTH_TOKEN, SITE, signed

pytestmark = pytest.mark.django_db
JOIN = {"From": "+447700900555", "Body": "JOIN FW844", "FromState": "", "To": "+447700900000"}


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SITE_URL = SITE


def test_a_retried_join_sends_one_code_and_gets_the_same_answer(
    client, pharmacy, fake_twilio_api, django_capture_on_commit_callbacks
):
    signature = RequestValidator(AUTH_TOKEN).compute_signature(SITE + "/webhooks/twilio/sms", JOIN)
    headers = {"X-Twilio-Signature": signature, "I-Twilio-Idempotency-Token": "retry-1"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/webhooks/twilio/sms", JOIN, headers=headers)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/webhooks/twilio/sms", JOIN, headers=headers)
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert len(fake_twilio_api.messages) == 1  # one code, however often Twilio retries


def test_without_the_token_each_request_is_its_own(
    client, pharmacy, fake_twilio_api, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            signed(client, "/webhooks/twilio/sms", JOIN)
    assert len(fake_twilio_api.messages) == 2


def test_an_account_on_sha256_shared_keys_is_accepted(client, settings, pharmacy):
    settings.TWILIO_WEBHOOK_SHARED_KEYS = [("webhooks_sharedkey_1", "shared-secret")]
    params = {**JOIN, "Body": "HELP"}
    signature = RequestValidator("shared-secret").compute_signature(
        SITE + "/webhooks/twilio/sms", params, "HMAC_SHA256"
    )
    settings_header = "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256"
    headers = {"X-Twilio-Signature": signature, "X-Twilio-Webhooks-Signature-Settings": settings_header}
    assert client.post("/webhooks/twilio/sms", params, headers=headers).status_code == 200
    # The same signature under a key we do not hold, or claimed as SHA-1, is refused.
    other = {**headers, "X-Twilio-Webhooks-Signature-Settings": "key=webhooks_sharedkey_2,algorithm=HMAC_SHA256"}
    assert client.post("/webhooks/twilio/sms", params, headers=other).status_code == 403
    sha1 = {**headers, "X-Twilio-Webhooks-Signature-Settings": "key=webhooks_sharedkey_1,algorithm=HMAC_SHA1"}
    assert client.post("/webhooks/twilio/sms", params, headers=sha1).status_code == 403


def test_a_practice_on_its_own_twilio_account_uses_a_signed_url(client, broker, capsys):
    call_command("voice_url", "--nation", "wales", "--language", "cy", "--then", "https://practice.example/queue")
    url = capsys.readouterr().out.strip()
    parts = urlsplit(url)
    path = f"{parts.path}?{parts.query}"
    response = client.post(path, {"CallSid": "CA9"}, headers={"X-Twilio-Signature": "from-another-account"})
    assert response.status_code == 200
    assert ET.fromstring(response.content).find("Redirect").text == "https://practice.example/queue"
    # Any parameter changed, added or dropped: refused.
    assert client.get(path.replace("wales", "england")).status_code == 403
    assert client.get(path + "&nation=england").status_code == 403
    assert client.get(path.replace("https%3A%2F%2Fpractice.example", "https%3A%2F%2Fevil.example")).status_code == 403
    assert client.get("/webhooks/twilio/voice?nation=wales").status_code == 403


@pytest.mark.parametrize(
    "url, debug, kept",
    [
        ("https://practice.example/queue", False, True),
        ("http://practice.example/queue", False, False),
        ("http://127.0.0.1:8000/twiml", True, True),
        ("http://127.0.0.1.evil.example/twiml", True, False),
        ("http://localhost.evil.example/twiml", True, False),
        ("http://127.0.0.1:8000/twiml", False, False),
        ("https://user:pw@practice.example/", False, False),
        ("javascript:alert(1)", True, False),
    ],
)
def test_then_is_matched_by_exact_host(settings, url, debug, kept):
    settings.DEBUG = debug
    assert (webhooks.then_url(url) == url) is kept
