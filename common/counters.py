"""Hourly limits shared by every web node: a counter per key and clock hour in the shared cache."""

from django.core.cache import cache
from django.utils import timezone


def count_hourly(key: str, limit: int) -> bool:
    """Count one more against an hourly limit shared by every web node; True if still within it."""
    # The "signup:" prefix predates the other callers: kept, so counts survive a rolling deploy.
    full = f"signup:{key}:{int(timezone.now().timestamp() // 3600)}"
    if cache.add(full, 1, 3700):
        return 1 <= limit
    try:
        return cache.incr(full) <= limit
    except ValueError:
        return True
