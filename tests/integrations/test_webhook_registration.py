"""Registering a webhook: by anyone through a form confirmed by email, or by an admin in the console."""

import re

import pytest
from django.core import mail

from common import personal
from integrations.models import Endpoint

pytestmark = pytest.mark.django_db


def register(client, url="https://hooks.example.org/eps", email="integrator@example.org"):
    return client.post("/webhooks/", {"url": url, "email": email})


def test_the_form_explains_payloads_signatures_and_retries(client):
    html = client.get("/webhooks/").content.decode()
    assert "X-EPS-Signature: t=&lt;unix time&gt;,v1=&lt;signature&gt;" in html
    assert "component_update" in html and "410 Gone" in html


@pytest.mark.parametrize(
    "url, email, field, words",
    [
        ("ftp://hooks.example.org", "a@example.org", "url", "must start with https://"),
        ("https://user:pw@hooks.example.org/", "a@example.org", "url", "Leave user names and passwords out"),
        ("https://127.0.0.1/hook", "a@example.org", "url", "not an address on the public internet"),
        ("https://10.1.2.3/hook", "a@example.org", "url", "not an address on the public internet"),
        ("https://169.254.169.254/latest", "a@example.org", "url", "not an address on the public internet"),
        ("https://hooks.example.org/eps", "not-an-email", "email", "correct format"),
    ],
)
def test_bad_registrations_say_what_is_wrong_and_keep_nothing(client, settings, url, email, field, words):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = register(client, url, email)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert f'href="#{field}"' in response.content.decode()
    assert not Endpoint.objects.exists()


def test_register_confirm_by_button_then_manage(client, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # example.org does not resolve on this machine
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)
    assert "Check your email" in response.content.decode()
    endpoint = Endpoint.objects.get()
    assert endpoint.state == "pending"
    assert b"integrator@example.org" not in bytes(endpoint.contact_encrypted)  # encrypted at rest
    assert personal.decrypt(endpoint.contact_encrypted) == "integrator@example.org"
    link = re.search(r"http://\S+/webhooks/confirm/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]

    # Opening the link (as a mail scanner would) does not confirm.
    assert "Confirm and show the secret" in client.get(path).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.state == "pending"

    html = client.post(path).content.decode()
    secret = re.search(r'<code id="secret">(whsec_[^<]+)</code>', html).group(1)
    endpoint.refresh_from_db()
    assert endpoint.state == "active" and endpoint.secret == secret
    # A second visit does not show the secret again.
    assert "whsec_" not in client.post(path).content.decode()

    manage = re.search(r'href="http://[^"]+(/webhooks/manage/[^"]+/)"', html).group(1)
    assert "Nothing sent yet." in client.get(manage).content.decode()
    rotated = client.post(manage, {"action": "rotate"}).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret in rotated and endpoint.secret != secret
    client.post(manage, {"action": "disable"})
    endpoint.refresh_from_db()
    assert endpoint.state == "disabled"
    client.post(manage, {"action": "enable"})
    endpoint.refresh_from_db()
    assert endpoint.state == "active"
    assert "Your webhook is deleted" in client.post(manage, {"action": "delete"}).content.decode()
    assert not Endpoint.objects.exists()
    assert client.get(manage).status_code == 404


def test_a_tampered_link_finds_nothing(client):
    assert client.get("/webhooks/manage/not-a-token/").status_code == 404
    assert client.post("/webhooks/confirm/not-a-token/").status_code == 404


def test_registrations_are_limited_per_client(client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    for _ in range(5):
        assert register(client).status_code == 200
    response = register(client)
    assert response.status_code == 429 and "Try again in an hour" in response.content.decode()
