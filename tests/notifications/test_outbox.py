import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from notifications.channels.sms import sms_channel
from notifications.models import OutboxMessage
from notifications.phones import mask

pytestmark = pytest.mark.django_db


def test_a_test_text_lands_in_the_outbox_with_the_number_masked(client, capsys, settings):
    settings.DEBUG = True
    settings.SMS_BACKEND = "outbox"
    call_command("send_test_sms", "+447700900123")
    message = OutboxMessage.objects.get()
    assert message.to_masked == "+447••••••123"
    assert "+447700900123" not in message.to_masked
    assert capsys.readouterr().out.startswith("outbox-")
    html = client.get("/dev/outbox/").content.decode()
    assert "this is a test message" in html and "+447••••••123" in html


def test_a_malformed_number_is_refused_with_the_reason():
    with pytest.raises(CommandError, match=r"E\.164"):
        call_command("send_test_sms", "07700 900123")
    assert not OutboxMessage.objects.exists()


def test_the_outbox_page_shows_what_the_local_fake_twilio_accepted(client, fake_twilio_api, settings):
    settings.DEBUG = True
    call_command("send_test_sms", "+447700900123")
    html = client.get("/dev/outbox/").content.decode()
    assert "this is a test message" in html and "+447••••••123" in html and "+447700900123" not in html


def test_the_outbox_page_is_not_there_when_texts_go_to_real_twilio(client, settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_API_BASE_URL = "https://api.twilio.com"
    assert client.get("/dev/outbox/").status_code == 404


def test_the_outbox_page_is_never_there_with_debug_off(client, settings, fake_twilio_api):
    settings.DEBUG = False
    call_command("send_test_sms", "+447700900123")
    assert client.get("/dev/outbox/").status_code == 404


def test_an_unknown_backend_is_a_configuration_error(settings):
    settings.SMS_BACKEND = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured, match="carrier-pigeon"):
        sms_channel()


def test_masking_keeps_only_enough_to_tell_numbers_apart():
    assert mask("+447700900999") == "+447••••••999"
    assert mask("123") == "•••"
