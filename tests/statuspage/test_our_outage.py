"""Our own outage is never a national false alarm: public answers ride out a database or Redis
outage on their last good copy, the probe API asks brokers to retry, and the health checks name
what is down."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection

from statuspage import last_good, response_cache, snapshot
from tests.probe_docs import healthy

pytestmark = pytest.mark.django_db
NOTICE = rb'<div class="nhsuk-warning-callout"><p>[^<]*</p></div>'  # in either language
DEAD_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    def go_down():
        # Every query opens through this, the ORM's and the one-statement probe path's alike.
        monkeypatch.setattr(connection, "ensure_connection", refuse)
        response_cache.bump_version()  # and the minute's entries are gone

    return go_down


@pytest.mark.parametrize("path", ["/", "/cy/", "/api/v2/summary.json", "/incidents/{code}/"])
def test_a_page_seen_before_is_served_as_it_was_while_the_database_is_down(client, demo, database_down, path):
    from statuspage.models import Incident  # noqa: PLC0415 -- read before the database goes

    path = path.format(code=Incident.objects.first().code)
    before = client.get(path)
    assert before.status_code == 200
    database_down()
    during = client.get(path)
    # As it was, but for a page's notice that it is an old copy.
    assert during.status_code == 200 and re.sub(NOTICE, b"", during.content, count=1) == before.content
    assert during["X-Last-Good"] and during["Cache-Control"] == "no-cache"


def test_other_processes_serve_the_shared_copy_and_then_the_snapshot(client, demo, database_down, settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshot"
    snapshot.write(force=True)
    first = client.get("/history/")
    database_down()
    last_good.forget()  # another process: only the shared cache has it
    assert re.sub(NOTICE, b"", client.get("/history/").content, count=1) == first.content
    cache.clear()  # and now only the snapshot on disk
    last_good.forget()
    from_disk = client.get("/history/")
    assert from_disk.status_code == 200 and b"<html" in from_disk.content


def test_with_no_good_copy_anywhere_people_get_a_page_and_apis_a_problem_not_a_500(
    client, demo, database_down, settings, tmp_path
):
    settings.SNAPSHOT_DIR = tmp_path / "empty"
    database_down()
    page = client.get("/components/eps-spine/")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert "Sorry, this page is not available just now" in page.content.decode()
    api = client.get("/api/v1/advice?pharmacy=FW844")
    assert api.status_code == 503 and api["Content-Type"] == "application/problem+json"


def test_the_probe_api_asks_brokers_to_send_again_when_it_cannot_store(client, broker, token, database_down):
    database_down()
    response = client.post(
        "/api/v1/probes",
        healthy(),
        content_type="application/health+json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 503 and response["Retry-After"] == "15"
    assert response["Content-Type"] == "application/problem+json"


def test_healthz_names_what_is_unreachable(client, db, settings, database_down):
    assert client.get("/healthz").content == b"ok"
    settings.CACHES = DEAD_REDIS
    cache_down = client.get("/healthz")
    assert cache_down.status_code == 200 and cache_down.content == b"cache unreachable"
    database_down()
    both = client.get("/healthz")
    assert both.status_code == 503 and both.content == b"database unreachable\ncache unreachable"


def test_sign_up_and_webhook_registration_say_try_again_when_redis_is_away(client, pharmacy, settings):
    settings.CACHES = DEAD_REDIS
    form = {"follow": "pharmacy", "pharmacy": "FW844", "channel": "sms", "sms_address": "07700 900321"}
    signup = client.post("/subscribe/", form)
    assert signup.status_code == 503 and "not available just now" in signup.content.decode()
    hook = client.post("/webhooks/", {"url": "https://receiver.example/hook", "email": "i@example.org"})
    assert hook.status_code == 503


def test_a_page_served_from_its_last_good_copy_says_so_and_when_in_its_language(client, demo, database_down):
    client.get("/")
    client.get("/cy/")
    database_down()
    english = client.get("/").content.decode()
    welsh = unescape(client.get("/cy/").content.decode())
    assert "We cannot update this page just now. It shows what we knew at" in english
    assert "Ni allwn ddiweddaru'r dudalen hon ar hyn o bryd" in welsh
