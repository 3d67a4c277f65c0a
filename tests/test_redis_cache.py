import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches

from statuspage.caching import bump_version, current_version
from tests.services import REDIS_URL

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_change_on_one_node_invalidates_every_node(redis_cache, client, demo):
    from django.core.cache.backends.redis import RedisCache

    other_node = RedisCache(REDIS_URL, {})
    first = client.get("/api/v2/status.json")
    assert first["ETag"]
    version = current_version()
    other_node.set("statuspage:version", version + 1, None)
    assert current_version() == version + 1
    from statuspage.models import Component
    from statuspage.transitions import set_component_status

    set_component_status(Component.objects.get(slug="eps-spine"), "major_outage", "down")
    after = client.get("/api/v2/status.json")
    assert after.json()["status"]["indicator"] == "critical"
    bump_version()
    assert other_node.get("statuspage:version") == current_version()


def test_redis_url_makes_redis_the_broker_and_the_cache():
    code = "from django.conf import settings as s; print(s.CELERY_BROKER_URL); print(s.CACHES['default']['BACKEND'])"
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/3", "DJANGO_SETTINGS_MODULE": "statuspage.settings"}
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["redis://127.0.0.1:6379/3", "django.core.cache.backends.redis.RedisCache"]
