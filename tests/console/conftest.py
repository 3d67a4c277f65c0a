"""A small world for console tests: staff of each role, signed in as the console requires."""

import time

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from console import staff as staff_accounts
from console.security import SEEN_AT, SIGNED_IN_AT

PASSWORD = "correct horse battery staple 42"


def make_staff(username: str, role: str):
    staff_accounts.create(username, f"{username}@nhs.example", role, password=PASSWORD)
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def code_for(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def signed_in(user, client: Client | None = None) -> Client:
    """A client signed in with password and TOTP, as if through the sign-in page (which
    tests of signing in use directly: a TOTP code is accepted once per 30 seconds)."""
    client = client or Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session[SIGNED_IN_AT] = session[SEEN_AT] = time.time()
    session.save()
    return client


@pytest.fixture
def staff(db):
    """staff("publisher") -> a signed-in client for a new member of staff with that role."""
    made = {}

    def make(role: str, name: str | None = None) -> Client:
        username = name or f"{role}{len(made) + 1}"
        user = make_staff(username, role)
        made[username] = user
        client = signed_in(user)
        client.user = user
        return client

    return make


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    # Production's PBKDF2 takes a third of a second per password by design; the tests make hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
