"""Links that act for someone work only as long and as far as they should; shared caches hold only
what the path alone decides; nothing a stranger types reaches someone else's inbox."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from integrations import endpoints
from integrations.models import Delivery, Endpoint
from notifications import signup
from notifications.models import Subscriber
from statuspage.response_cache import accepts_gzip
from statuspage.transitions import set_component_status
from tests.integrations.conftest import hook, receiver  # noqa: F401 -- fixtures
from tests.notifications.test_subscribe_pages import ask

pytestmark = pytest.mark.django_db


def test_a_query_string_never_reaches_a_cached_page(client, demo):
    poisoned = client.get("/", {"x": '"><a href="https://evil.example/">'}).content.decode()
    assert "evil.example" not in poisoned
    # The next reader, asking for the plain page, gets the clean switch link.
    clean = client.get("/").content.decode()
    assert 'href="/cy/"' in clean and "evil.example" not in clean and "?x=" not in clean


@pytest.mark.parametrize(
    "header, gzip",
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, deflate", False),
        ("identity", False),
        ("", False),
        ("*;q=0", False),
    ],
)
def test_gzip_only_when_the_client_accepts_it(header, gzip):
    assert accepts_gzip(header) is gzip


def test_a_client_refusing_gzip_gets_plain_bytes(client, demo):
    response = client.get("/", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in response and response.content.startswith(b"<!DOCTYPE html>")


def test_an_email_confirm_link_works_once_and_cannot_resubscribe_after_stopping(
    client, pharmacy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, channel="email", email_address="pat@example.com")
    link = re.search(r"http://testserver(/subscribe/confirm/\S+/)", mail.outbox[-1].body).group(1)
    assert client.post(link).status_code == 302
    signup.opt_out(Subscriber.objects.get())
    assert client.post(link).status_code == 400  # replayed: refused
    assert Subscriber.objects.get().state == "opted_out"


def test_a_manage_link_expires_after_a_day(client, pharmacy, settings):
    subscriber = signup.activate(
        signup.start("sms", "+447700900321", [signup.Follow("pharmacy", pharmacy.pk)], client="t")
    )
    token = signup.manage_token(subscriber)
    assert client.get(f"/subscribe/manage/{token}/").status_code == 200
    later = timezone.now() + signup.MANAGE_VALID + timedelta(minutes=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.core.signing.time.time", lambda: later.timestamp())
        assert client.get(f"/subscribe/manage/{token}/").status_code == 404


def test_new_links_end_every_old_one(client, pharmacy):
    subscriber = signup.activate(signup.start("email", "pat@example.com", [signup.Follow("all")], client="t"))
    manage, unsubscribe = signup.manage_token(subscriber), signup.unsubscribe_token(subscriber)
    response = client.post(f"/subscribe/manage/{manage}/", {"action": "new_links"})
    assert response.status_code == 302 and manage not in response["Location"]
    assert client.get(f"/subscribe/manage/{manage}/").status_code == 404
    assert client.get(f"/subscribe/unsubscribe/{unsubscribe}/").status_code == 404
    assert client.get(response["Location"]).status_code == 200


def test_the_long_lived_unsubscribe_link_cannot_make_new_links(client, pharmacy):
    subscriber = signup.activate(signup.start("email", "pat@example.com", [signup.Follow("all")], client="t"))
    token = signup.unsubscribe_token(subscriber)
    client.post(f"/subscribe/unsubscribe/{token}/", {"action": "new_links"})
    assert Subscriber.objects.get().link_generation == subscriber.link_generation
    page = client.get(f"/subscribe/unsubscribe/{token}/").content.decode()
    assert "p•••@example.com" in page and "pat@example.com" not in page


def test_a_webhook_payload_carries_only_an_unsubscribe_link(hook, receiver, broker):  # noqa: F811
    endpoint, _ = hook
    set_component_status(broker.component, "major_outage", "down")
    row = Delivery.objects.order_by("pk").first()
    link = re.search(r'"unsubscribe":"([^"]+)"', row.body).group(1)
    assert "/webhooks/unsubscribe/" in link and "/webhooks/manage/" not in row.body
    path = "/" + link.split("/", 3)[3]
    client = Client()
    page = client.get(path).content.decode()
    assert "New secret" not in page and "Delete" not in page
    client.post(path)
    endpoint.refresh_from_db()
    assert endpoint.state == Endpoint.State.DISABLED


def test_an_old_manage_link_from_a_payload_no_longer_works(hook, client):  # noqa: F811
    endpoint, _ = hook
    from django.core import signing  # noqa: PLC0415 -- only to forge the old format

    old = signing.dumps(endpoint.pk, salt="integrations.manage")
    assert client.get(f"/webhooks/manage/{old}/").status_code == 404
    assert client.get(f"/webhooks/manage/{endpoints.manage_token(endpoint)}/").status_code == 200


def test_the_webhook_confirmation_email_carries_nothing_the_registrant_typed(
    client, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    url = "https://win-a-prize.example/claim-now-call-0800-000-000"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/webhooks/", {"url": url, "email": "victim@example.org"})
    [email] = mail.outbox
    assert "win-a-prize" not in email.body and "0800" not in email.body and "claim" not in email.body
    link = re.search(r"http://\S+(/webhooks/confirm/\S+/)", email.body).group(1)
    assert url in client.get(link).content.decode()  # shown on our page, to whoever opens the link
