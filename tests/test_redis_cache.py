import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from common import shared_version
from statuspage import response_cache
from statuspage.models import Component
from statuspage.response_cache import current_version
from statuspage.transitions import set_component_status
from tests.services import REDIS_URL

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    caches["default"].clear()
    response_cache.forget_local()
    yield caches["default"]
    caches["default"].clear()
    response_cache.forget_local()


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(shared_version, "_clock", lambda: now[0])
    response_cache.forget_local()
    return now


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_change_on_another_node_is_seen_within_the_recheck_interval(redis_cache, client, demo, clock):
    other_node = RedisCache(REDIS_URL, {})
    before = client.get("/api/v2/status.json").json()["status"]["indicator"]
    # Another web node or a worker changes a status and bumps the shared version.
    # (Written directly: going through set_component_status would bump this process's version.)
    Component.objects.filter(slug__in=["eps-spine", "national-services"]).update(status="major_outage")
    other_node.set(response_cache.VERSION_KEY, current_version() + 1, None)
    assert client.get("/api/v2/status.json").json()["status"]["indicator"] == before
    clock[0] += shared_version.VERSION_RECHECK_SECONDS
    assert client.get("/api/v2/status.json").json()["status"]["indicator"] == "critical"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_node_that_makes_a_change_sees_it_at_once(redis_cache, client, demo, clock):
    client.get("/api/v2/status.json")
    set_component_status(Component.objects.get(slug="eps-spine"), "major_outage", "down")
    assert client.get("/api/v2/status.json").json()["status"]["indicator"] == "critical"
    assert RedisCache(REDIS_URL, {}).get(response_cache.VERSION_KEY) == current_version()


def test_redis_url_makes_redis_the_broker_and_the_cache():
    code = "from django.conf import settings as s; print(s.CELERY_BROKER_URL); print(s.CACHES['default']['BACKEND'])"
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/3", "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["redis://127.0.0.1:6379/3", "django.core.cache.backends.redis.RedisCache"]
