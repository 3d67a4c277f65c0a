import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from demo import staff as demo
from tests.factories import code_for

pytestmark = pytest.mark.django_db


def test_the_laptop_demo_has_one_account_per_role_that_can_sign_in(settings, capsys):
    settings.DEBUG = True
    assert demo.ensure_staff() == list(demo.ACCOUNTS)
    assert demo.ensure_staff() == []  # twice is harmless

    user = get_user_model().objects.get(username="ops-publisher")
    call_command("totp_code", "ops-publisher")
    assert capsys.readouterr().out.strip() == code_for(user)
    client = Client()
    response = client.post(
        "/console/sign-in/", {"username": "ops-publisher", "password": demo.PASSWORD, "code": code_for(user)}
    )
    assert response.status_code == 302


def test_no_published_passwords_and_no_codes_with_debug_off(settings):
    settings.DEBUG = False
    assert demo.ensure_staff() == []
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("totp_code", "ops-publisher")
