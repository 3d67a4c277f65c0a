"""The whole alert path at DEBUG, with every log record written as production writes it (JSON):
no phone number, email address, code, token or key in any line.

Sign up by text and by email -> confirm by code and by link -> a broker's token -> failing probes ->
draft -> holding notice -> texts and emails through the real twilio library to the fake Twilio ->
signed receipts to our live webhook -> STOP. (make production-check does the same across every real
process, reading their logs.)"""

import logging
import re
from datetime import timedelta

import pytest
import requests
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from twilio.request_validator import RequestValidator

from detection import drafts, tokens
from notifications.models import Delivery, Subscriber
from tests.fake_twilio_fixtures import AUTH_TOKEN
from tests.logs import Kept, eventually
from tests.probe_docs import failing, send

pytestmark = pytest.mark.django_db(transaction=True)
NUMBER, EMAIL = "+447700900654", "morgan.jones@example.org"


@pytest.fixture
def every_line():
    handler = Kept(json=True)
    root = logging.getLogger()
    level = root.level
    # The loggers settings quieten (twilio's client, the database) included: DEBUG everywhere.
    quiet = {name: logging.getLogger(name).level for name in django_settings.LOGGING["loggers"]}
    root.setLevel(logging.DEBUG)
    for name in quiet:
        logging.getLogger(name).setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(level)
    for name, was in quiet.items():
        logging.getLogger(name).setLevel(was)


def test_the_alert_path_logs_nobody(live_server, broker, pharmacy, fake_twilio_api, settings, every_line):
    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    web = Client()
    signed = {"follow": "pharmacy", "pharmacy": pharmacy.ods_code}
    assert web.post("/subscribe/", {**signed, "channel": "sms", "sms_address": "07700 900654"}).status_code == 302
    code = re.search(r"\b(\d{6})\b", fake_twilio_api.messages[0]["body"]).group(1)
    confirmed = web.post("/subscribe/check/", {"code": code})
    manage_link = confirmed["Location"]
    assert "/subscribe/manage/" in manage_link
    other = Client()
    assert other.post("/subscribe/", {**signed, "channel": "email", "email_address": EMAIL}).status_code == 302
    link = re.search(r"(/subscribe/confirm/[^/\s]+/)", mail.outbox[0].body).group(1)
    assert other.post(link).status_code == 302
    assert Subscriber.objects.filter(state="active").count() == 2

    token = tokens.issue(broker)
    for _ in range(3):
        send(web, failing(), token)
    assert drafts.publish_holding_notices(timezone.now() + timedelta(minutes=11)) == 1
    assert eventually(lambda: Delivery.objects.filter(state="delivered").exists(), seconds=15), (
        fake_twilio_api.callback_results
    )
    assert len(mail.outbox) == 2  # the confirmation link, then the alert

    url = live_server.url + "/webhooks/twilio/sms"
    form = {"From": NUMBER, "To": "+447700900000", "Body": "STOP", "FromState": ""}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
    assert requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=5).status_code == 200

    logged = "\n".join(every_line)
    assert len(every_line) > 10 and '"level": "DEBUG"' in logged  # it really was DEBUG, and JSON
    secrets = {
        "phone number": [NUMBER, NUMBER[1:], "07700 900654", "07700900654", "900654"],
        "email address": [EMAIL, EMAIL.split("@")[0]],
        "confirmation code": [code],
        "confirmation link": [link.split("/")[-2]],
        "manage link": [manage_link.rstrip("/").split("/")[-1]],
        "broker token": [token],
        "Twilio auth token and signature": [AUTH_TOKEN, signature],
        "keys": [django_settings.SECRET_KEY, *django_settings.PERSONAL_DATA_KEYS],
    }
    for what, values in secrets.items():
        found = [v for v in values if v in logged]
        assert not found, f"{what} in the logs: {found}"
