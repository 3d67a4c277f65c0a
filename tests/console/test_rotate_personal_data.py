"""PERSONAL_DATA_KEY is rotated without losing anyone: re-encrypted under the new key, found again by
their number after the old key is gone."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command

from common import personal
from notifications import signup
from notifications.models import Subscriber

pytestmark = pytest.mark.django_db
NUMBER = "+447700900987"


def test_a_leaked_key_is_retired_and_everyone_is_still_found(settings, pharmacy):
    old, new = personal.new_key(), personal.new_key()
    settings.PERSONAL_DATA_KEYS = [old]
    signup.activate(signup.start("sms", NUMBER, [signup.Follow("pharmacy", pharmacy.pk)], client="t"))
    settings.PERSONAL_DATA_KEYS = [new, old]
    call_command("rotate_personal_data", stdout=io.StringIO())
    stored = bytes(Subscriber.objects.get().address_encrypted)
    assert Fernet(new).decrypt(stored).decode() == NUMBER
    with pytest.raises(InvalidToken):
        Fernet(old).decrypt(stored)
    call_command("rotate_personal_data", "--rehash", "--retire-last", stdout=io.StringIO())
    settings.PERSONAL_DATA_KEYS = [new]
    found = signup.find("sms", NUMBER)
    assert found is not None and found.address == NUMBER


def test_rehashing_without_a_key_to_retire_is_refused(settings):
    settings.PERSONAL_DATA_KEYS = [personal.new_key()]
    with pytest.raises(Exception, match="no last key to retire"):
        call_command("rotate_personal_data", "--rehash", "--retire-last")
