"""Email goes over real SMTP to a local sink (aiosmtpd): HTML and plain text, one-click unsubscribe."""

import email
import re
import socket

import pytest
from aiosmtpd.controller import Controller

from notifications import signup
from notifications.channels.base import DeliveryError, Message
from notifications.channels.email import EmailChannel
from notifications.models import Delivery
from tests.factories import declare

pytestmark = pytest.mark.django_db


class Sink:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()


def test_an_alert_email_arrives_over_smtp_with_one_click_unsubscribe(
    smtp, broker, pharmacy, fake_twilio_api, django_capture_on_commit_callbacks
):
    subscriber_id = signup.start("email", "pat@example.com", [signup.Follow("pharmacy", pharmacy.pk)], client="t")
    signup.activate(subscriber_id)
    declare(broker, django_capture_on_commit_callbacks)
    [message] = smtp.messages
    assert message["To"] == "pat@example.com"
    assert "may be delayed" in " ".join(message["Subject"].split())  # long headers are folded
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/subscribe/unsubscribe/" in message["List-Unsubscribe"]
    kinds = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= kinds
    [html] = [p.get_payload(decode=True).decode() for p in message.walk() if p.get_content_type() == "text/html"]
    links = re.findall(r'<a href="(https?://[^"]+)"', html)
    assert any("/i/" in link for link in links) and any("/subscribe/unsubscribe/" in link for link in links), html
    sent = Delivery.objects.get(subscriber_id=subscriber_id)
    assert sent.state == "sent" and sent.provider_id == message["Message-ID"]


def test_a_mail_server_that_is_down_is_a_temporary_failure(settings, broker, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    subscriber_id = signup.start("email", "pat@example.com", [signup.Follow("all")], client="t")
    signup.activate(subscriber_id)
    declare(broker, django_capture_on_commit_callbacks)
    waiting = Delivery.objects.get(subscriber_id=subscriber_id)
    assert waiting.state == "pending" and waiting.attempts == 1


class CountingSink(Sink):
    """Remembers which SMTP session each message came in on."""

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[int] = []

    async def handle_DATA(self, server, session, envelope):
        self.sessions.append(id(session))
        return await super().handle_DATA(server, session, envelope)


def test_emails_one_after_another_share_one_smtp_connection(smtp, settings):
    counting = CountingSink()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = s.getsockname()[1]
    controller = Controller(counting, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        for n in range(3):
            EmailChannel().send(Message(f"pat{n}@example.com", "Hello", subject="Test"))
    finally:
        controller.stop()
    assert len(counting.messages) == 3
    assert len(set(counting.sessions)) == 1  # no handshake per email


def test_a_mail_server_that_trickles_is_cut_off_at_the_deadline(settings, stranger):
    slow = stranger("drip", interval=1.0)  # a greeting a byte a second: within any per-read timeout
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", slow.port
    settings.EMAIL_DEADLINE_SECONDS = 1.0
    with pytest.raises(DeliveryError) as failed:
        EmailChannel().send(Message("pat@example.com", "Hello", subject="Test"))
    assert not failed.value.permanent
    assert slow.was_cut_off()
