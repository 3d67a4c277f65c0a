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
local rate, burst, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
-- Redis's clock, not the callers': every node agrees on it.
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil then tokens, at = burst, now end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local granted = math.min(want, math.floor(tokens))
-- And never more than the cap within one clock second, whatever the burst allowed.
local second = KEYS[1] .. ':' .. t[1]
local used = tonumber(redis.call('GET', second) or '0')
granted = math.max(0, math.min(granted, tonumber(ARGV[4]) - used))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('EXPIRE', KEYS[1], 60)
if granted > 0 then
  redis.call('INCRBY', second, granted)
  redis.call('EXPIRE', second, 2)
end
return granted
"""
# Sends granted but not used (the range ran out of deliveries): back into the bucket and off this
# second's count, so the texts actually sent keep to the rate rather than fall short of it.
GIVE_BACK = """
local rate, burst, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens') or burst)
redis.call('HSET', KEYS[1], 'tokens', math.min(burst, tokens + n))
local second = KEYS[1] .. ':' .. t[1]
if tonumber(redis.call('GET', second) or '0') >= n then
  redis.call('DECRBY', second, n)
end
return n
"""
KEY = "eps:bucket:sms"
_local: dict = {"tokens": None, "at": 0.0, "second": None, "used": 0}


@functools.lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    # Made once per process: Django's Redis cache builds a client per call.
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def client() -> redis.Redis | None:
    return _redis(settings.REDIS_URL) if settings.REDIS_URL else None


_lock = threading.Lock()


def cap(rate: float) -> int:
    """Sends granted in one clock second: 5% under the rate, because texts granted at the end of
    one second reach the provider early in the next, and the provider counts by its own clock."""
    return max(1, int(rate * 0.95))


def take(want: int, rate: float | None = None) -> int:
    """Take up to ``want`` sends from the bucket now; 0 means wait a moment and ask again."""
    rate = rate or settings.SMS_PER_SECOND
    # A twentieth of a second's worth at most, so sends are spread through each second.
    burst = max(1.0, rate / 20)
    now = time.time()
    r = client()
    if r is not None:
        return int(r.eval(TAKE, 1, KEY, rate, burst, want, cap(rate)))
    with _lock:
        tokens = burst if _local["tokens"] is None else _local["tokens"]
        tokens = min(burst, tokens + max(0.0, now - _local["at"]) * rate)
        second = int(now)
        used = _local["used"] if _local.get("second") == second else 0
        granted = max(0, min(want, int(tokens), cap(rate) - used))
        _local.update(tokens=tokens - granted, at=now, second=second, used=used + granted)
        return granted


def give_back(unused: int, rate: float | None = None) -> None:
    """Return sends that were granted but not used."""
    if unused <= 0:
        return
    rate = rate or settings.SMS_PER_SECOND
    burst = max(1.0, rate / 20)
    r = client()
    if r is not None:
        r.eval(GIVE_BACK, 1, KEY, rate, burst, unused)
        return
    with _lock:
        if _local["tokens"] is not None:
            _local["tokens"] = min(burst, _local["tokens"] + unused)
        if _local.get("second") == int(time.time()):
            _local["used"] = max(0, _local["used"] - unused)


def wait_for(want: int, rate: float | None = None) -> int:
    """Block until at least one send is allowed; returns how many (at most ``want``)."""
    while True:
        granted = take(want, rate)
        if granted:
            return granted
        time.sleep(min(0.05, 1.0 / (rate or settings.SMS_PER_SECOND)))
