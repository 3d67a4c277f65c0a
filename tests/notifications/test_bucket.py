"""One token bucket holds every worker to the provider's rate."""

import threading
import time

import pytest

from notifications import bucket
from tests.services import REDIS_URL


def drain_for(seconds: float, rate: float, workers: int) -> int:
    taken = []
    stop = time.monotonic() + seconds

    def work() -> None:
        n = 0
        while time.monotonic() < stop:
            n += bucket.take(50, rate)
            time.sleep(0.001)
        taken.append(n)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(taken)


@pytest.mark.redis
def test_workers_sharing_the_redis_bucket_stay_within_the_rate_together(settings):
    settings.REDIS_URL = REDIS_URL
    bucket.client().delete(bucket.KEY)
    taken = drain_for(1.0, rate=200, workers=4)
    assert 150 <= taken <= 200 * 2  # two clock seconds at most are touched in one second of draining


def test_without_redis_the_process_bucket_keeps_the_rate(settings):
    settings.REDIS_URL = ""
    bucket._local.update(tokens=None, at=0.0)
    taken = drain_for(1.0, rate=200, workers=4)
    assert 150 <= taken <= 200 * 2


@pytest.mark.redis
def test_no_clock_second_gets_more_than_the_rate(settings):
    settings.REDIS_URL = REDIS_URL
    r = bucket.client()
    r.delete(bucket.KEY)
    per_second: dict[int, int] = {}
    stop = time.time() + 2.5
    while time.time() < stop:
        before = int(r.time()[0])
        got = bucket.take(50, 100)
        after = int(r.time()[0])
        if got and before == after:  # certainly granted within that Redis second
            per_second[before] = per_second.get(before, 0) + got
    assert per_second and max(per_second.values()) <= bucket.cap(100)


@pytest.mark.parametrize("redis", [pytest.param(True, marks=pytest.mark.redis), False])
def test_sends_granted_but_not_used_go_back_to_the_bucket(settings, redis):
    settings.REDIS_URL = REDIS_URL if redis else ""
    if redis:
        for key in bucket.client().scan_iter(bucket.KEY + "*"):  # and each second's count
            bucket.client().delete(key)
    else:
        bucket._local.update(tokens=None, at=0.0, second=None, used=0)
    # 20 a second: a burst of one. Taken, given back, and taken again at once.
    assert bucket.take(1, rate=20) == 1
    assert bucket.take(1, rate=20) == 0
    bucket.give_back(1, rate=20)
    assert bucket.take(1, rate=20) == 1
