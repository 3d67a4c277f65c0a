"""The errors that mean one of our own dependencies is away (the database, Redis as cache or as the
Celery broker), as distinct from a bug: callers answer these with their last good copy or a 503."""

from django.db import DatabaseError
from kombu.exceptions import OperationalError as QueueDown
from redis.exceptions import ConnectionError as RedisDown
from redis.exceptions import TimeoutError as RedisSlow

DOWN = (DatabaseError, RedisDown, RedisSlow, QueueDown)
