"""The shared cache (Redis) down: publishing still succeeds and pages are still served."""

import pytest
from django.core.cache import caches

from notifications.models import Notice
from statuspage import response_cache
from statuspage.publishing import open_incident

pytestmark = pytest.mark.django_db
NOWHERE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.fixture
def cache_down(settings):
    settings.CACHES = NOWHERE  # Django rebuilds its cache connections when the setting changes
    response_cache.forget_local()
    with pytest.raises(Exception):
        caches["default"].get("anything")
    yield


def test_publishing_succeeds_when_the_cache_is_down(broker, cache_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident = open_incident("Problem", "Investigating.", "major", {broker.component: "major_outage"})
    assert Notice.objects.filter(incident=incident).exists()


def test_pages_are_served_when_the_cache_is_down(client, demo, cache_down):
    assert client.get("/").status_code == 200
    assert client.get("/api/v2/summary.json").status_code == 200
