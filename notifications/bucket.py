"""One token bucket for the whole cluster: every worker together stays within the provider's
rate (the Twilio account's messages per second), which Celery's per-worker rate_limit cannot do.

With Redis the bucket is a Lua script (atomic, one round trip); without it (the embedded demo,
one worker) a bucket in this process does the same job.
"""

import functools
import threading
import time

import redis
from django.conf import settings

# Refill by elapsed time, then take up to `want` tokens; returns how many were granted.
TAKE = """
local rate, burst, want, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil then tokens, at = burst, now end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local granted = math.min(want, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('EXPIRE', KEYS[1], 60)
return granted
"""
KEY = "eps:bucket:sms"
_local = {"tokens": None, "at": 0.0}


@functools.lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    # Made once per process: Django's Redis cache builds a client per call.
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def client() -> redis.Redis | None:
    return _redis(settings.REDIS_URL) if settings.REDIS_URL else None


_lock = threading.Lock()


def take(want: int, rate: float | None = None) -> int:
    """Take up to ``want`` sends from the bucket now; 0 means wait a moment and ask again."""
    rate = rate or settings.SMS_PER_SECOND
    burst = max(1.0, rate)  # at most a second's worth at once
    now = time.time()
    r = client()
    if r is not None:
        return int(r.eval(TAKE, 1, KEY, rate, burst, want, now))
    with _lock:
        tokens = burst if _local["tokens"] is None else _local["tokens"]
        tokens = min(burst, tokens + max(0.0, now - _local["at"]) * rate)
        granted = min(want, int(tokens))
        _local.update(tokens=tokens - granted, at=now)
        return granted


def wait_for(want: int, rate: float | None = None) -> int:
    """Block until at least one send is allowed; returns how many (at most ``want``)."""
    while True:
        granted = take(want, rate)
        if granted:
            return granted
        time.sleep(min(0.05, 1.0 / (rate or settings.SMS_PER_SECOND)))
