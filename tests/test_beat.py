"""Two Celery beats started by mistake send each periodic task once per interval, not twice.

Real parts: both schedulers share a Redis cache (the slot claims) and a Redis broker (the sends),
as two beat processes on two nodes would."""

import pytest
import redis
from celery import Celery

from config.beat import OncePerInterval, claim, slot_key
from tests.services import REDIS_URL

QUEUE = "beat-test"
pytestmark = pytest.mark.redis


@pytest.fixture
def shared(settings):
    base = REDIS_URL.rsplit("/", 1)[0]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": base + "/13"}}
    broker = redis.Redis.from_url(base + "/14")
    broker.delete(QUEUE)
    redis.Redis.from_url(base + "/13").flushdb()
    yield broker
    broker.delete(QUEUE)


def beat(tmp_path, name: str) -> OncePerInterval:
    app = Celery(broker=REDIS_URL.rsplit("/", 1)[0] + "/14")
    app.conf.beat_schedule = {"sweep": {"task": "tests.sweep", "schedule": 15.0, "options": {"queue": QUEUE}}}
    return OncePerInterval(app=app, schedule_filename=str(tmp_path / name), lazy=False)


def test_two_beats_send_a_due_task_once(shared, tmp_path):
    first, second = beat(tmp_path, "one"), beat(tmp_path, "two")
    for scheduler in (first, second, first):
        scheduler.apply_entry(scheduler.schedule["sweep"])
    assert shared.llen(QUEUE) == 1


def test_each_interval_gets_its_own_send(shared, tmp_path):
    first = beat(tmp_path, "one")
    entry = first.schedule["sweep"]
    assert claim(entry, now=100.0) and not claim(entry, now=104.0)  # the same 15-second slot
    assert claim(entry, now=106.0)  # the next one (105 to 120)
    assert slot_key("sweep", 15.0, 106.0) == "beat-slot:sweep:7"
