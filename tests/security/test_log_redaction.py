"""A link that is a key never reaches a log line, even when Django logs its 404."""

import pytest

from common.log_redaction import redact
from tests.logs import kept


@pytest.mark.parametrize(
    "path",
    [
        "/subscribe/manage/eyJzIjoxfQ:1x:abc/",
        "/cy/subscribe/unsubscribe/eyJzIjoxfQ:1x:abc/",
        "/subscribe/confirm/eyJzIjoxfQ:1x:abc/",
        "/webhooks/manage/eyJlIjoxfQ:1x:abc/",
        "/webhooks/unsubscribe/eyJlIjoxfQ:1x:abc/",
        "/console/set-up/MQ/c9x-0123abcd/",
    ],
)
def test_keyed_paths_are_redacted(path):
    assert "abc" not in redact(f"Not Found: {path}") and "0123abcd" not in redact(path)


def test_other_paths_are_left_alone():
    assert redact("Not Found: /pharmacies/FW844/") == "Not Found: /pharmacies/FW844/"


@pytest.mark.django_db
def test_a_404_for_a_manage_link_is_logged_without_its_token(client):
    # Django's own logger, through the filter our settings give every handler.
    with kept("django.request") as lines:
        client.get("/subscribe/manage/eyJzIjo5OTl9:secret-part/")
    assert lines and all("secret-part" not in line for line in lines)


def test_every_handler_in_our_settings_redacts(settings):
    handlers = settings.LOGGING["handlers"]
    assert handlers and all("keyed_links" in h.get("filters", []) for h in handlers.values())


@pytest.mark.django_db
def test_a_404_for_a_manage_link_is_logged_in_json_without_its_token(client):
    # Production's formatter writes a record's extra attributes, and Django adds the request itself.
    with kept("django.request", json=True) as lines:
        client.get("/subscribe/manage/eyJzIjo5OTl9:secret-part/")
    assert lines and all("secret-part" not in line for line in lines), lines
    assert '"status_code": 404' in lines[0]
