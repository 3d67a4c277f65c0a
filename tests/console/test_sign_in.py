"""Signing in takes a password and a TOTP code; failures of either lock out; sessions end."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from console.security import SEEN_AT, SIGNED_IN_AT
from tests.factories import PASSWORD, code_for, make_staff, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(db):
    return make_staff("ops", "publisher")


def sign_in(client, username="ops", password=PASSWORD, code="000000", next_url=""):
    data = {"username": username, "password": password, "code": code}
    if next_url:
        data["next"] = next_url
    return client.post("/console/sign-in/", data)


def test_password_and_code_sign_in_and_land_where_asked(ops, client):
    response = sign_in(client, code=code_for(ops), next_url="/console/incidents/")
    assert response.status_code == 302 and response["Location"] == "/console/incidents/"
    assert client.get("/console/incidents/").status_code == 200


def test_a_right_password_without_the_right_code_is_refused(ops, client):
    response = sign_in(client, code="123456" if code_for(ops) != "123456" else "654321")
    assert response.status_code == 400
    assert b"username, password or code is not right" in response.content
    assert client.get("/console/").status_code == 302


def test_a_code_works_once(ops):
    code = code_for(ops)
    assert sign_in(Client(), code=code).status_code == 302
    assert sign_in(Client(), code=code).status_code == 400  # replayed within its 30 seconds


def test_a_password_alone_never_reaches_the_console(ops, client):
    # Signed in to Django some other way, but not verified with a code: still sent to sign in.
    client.force_login(ops, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"].startswith("/console/sign-in/")


def test_next_cannot_send_you_off_site(ops, client):
    response = sign_in(client, code=code_for(ops), next_url="https://evil.example/console/")
    assert response["Location"] == "/console/"


def test_repeated_failures_lock_out_even_with_the_right_details(ops, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, password="wrong")
    response = sign_in(client, code=code_for(ops))
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert client.get("/console/").status_code == 302


def test_wrong_codes_count_towards_the_lockout(ops, client, settings):
    right = code_for(ops)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, code=wrong).status_code == 400
    assert sign_in(client, code=wrong).status_code == 429  # the last failure allowed locks the account
    assert sign_in(client, code=right).status_code == 429


def test_lockout_is_per_account_and_address(ops, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, password="wrong")
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert sign_in(other, code=code_for(ops)).status_code == 302  # a colleague elsewhere is not locked out


def test_staff_without_a_role_or_deactivated_cannot_sign_in(ops, client):
    ops.is_active = False
    ops.save()
    assert sign_in(client, code=code_for(ops)).status_code == 400


def test_sign_out_ends_the_session_on_the_server(ops):
    client = signed_in(ops)
    key = client.session.session_key
    assert client.post("/console/sign-out/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/console/").status_code == 302


def test_sign_out_needs_a_post(ops):
    client = signed_in(ops)
    assert client.get("/console/sign-out/").status_code == 405


def _age(client, **seconds):
    session = client.session
    for key, value in seconds.items():
        session[{"signed_in": SIGNED_IN_AT, "seen": SEEN_AT}[key]] = time.time() - value
    session.save()


def test_idle_sessions_end(ops, settings):
    client = signed_in(ops)
    _age(client, seen=settings.CONSOLE_IDLE_MINUTES * 60 + 5)
    response = client.get("/console/")
    assert response.status_code == 302 and "expired=1" in response["Location"]
    assert b"Your session ended" in client.get(response["Location"]).content


def test_activity_keeps_a_session_going(ops, settings):
    client = signed_in(ops)
    _age(client, seen=settings.CONSOLE_IDLE_MINUTES * 60 - 60)
    assert client.get("/console/").status_code == 200
    assert time.time() - client.session[SEEN_AT] < 5


def test_sessions_end_after_their_absolute_limit_however_busy(ops, settings):
    client = signed_in(ops)
    _age(client, signed_in=settings.CONSOLE_SESSION_HOURS * 3600 + 5, seen=1)
    assert client.get("/console/").status_code == 302
