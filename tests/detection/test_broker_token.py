import hashlib

import pytest
from django.core.management import CommandError, call_command

from statuspage.models import BrokerToken

pytestmark = pytest.mark.django_db


def test_a_token_is_printed_alone_and_only_its_hash_kept(broker, capsys):
    call_command("broker_token", broker.component.slug)
    out = capsys.readouterr().out
    token = out.strip()
    assert out == token + "\n"
    assert token.startswith("eps_") and len(token) >= 4 + 43  # 256 bits in base64url
    stored = BrokerToken.objects.get()
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored.digest, stored.prefix)


def test_the_broker_may_be_named_by_its_component_id(broker, capsys):
    call_command("broker_token", broker.component.code)
    assert capsys.readouterr().out.startswith("eps_")


def test_an_unknown_broker_is_a_clear_error():
    with pytest.raises(CommandError, match="No broker"):
        call_command("broker_token", "no-such-broker")


def test_tokens_can_be_listed_and_revoked(broker, capsys):
    call_command("broker_token", broker.component.slug)
    token = capsys.readouterr().out.strip()
    call_command("broker_token", broker.component.slug, "--revoke", token[:10])
    call_command("broker_token", broker.component.slug, "--list")
    listing = capsys.readouterr().out
    assert token[:12] in listing and "revoked" in listing and token not in listing
    with pytest.raises(CommandError):
        call_command("broker_token", broker.component.slug, "--revoke", token[:10])
