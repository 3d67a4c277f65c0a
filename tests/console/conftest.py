"""A small world for console tests: staff of each role, signed in as the console requires."""

import pytest
from django.test import Client

from tests.factories import make_staff, signed_in


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
