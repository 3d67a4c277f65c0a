"""A number in the shared cache that changes whenever what it stands for changes: the cheap way
for every process on every node to learn that its local copies are stale."""

import logging
import time

from django.core.cache import cache

log = logging.getLogger(__name__)

# How long a process trusts the version it last read. A Redis round trip costs about
# as much as serving a page from memory, and clients may keep an answer for
# CACHE_MAX_AGE seconds anyway: one second more is not worth doubling the cost of a
# request. The process that makes a change sees it at once.
VERSION_RECHECK_SECONDS = 1.0
_clock = time.monotonic


class SharedVersion:
    """Each process re-reads the number at most once every VERSION_RECHECK_SECONDS."""

    def __init__(self, key: str) -> None:
        self.key = key
        self._seen: dict[str, float] = {}

    def current(self) -> int:
        if self._seen and _clock() - self._seen["read_at"] < VERSION_RECHECK_SECONDS:
            return int(self._seen["value"])
        try:
            version = cache.get(self.key)
            if version is None:
                cache.add(self.key, time.time_ns(), None)
                version = cache.get(self.key) or 0
        except Exception as e:  # the cache server is down: go on with what this process knew
            log.warning("shared version %s unreadable (%s); using this process's last", self.key, type(e).__name__)
            version = self._seen.get("value", 0)
        self._seen.update(value=version, read_at=_clock())
        return int(version)

    def bump(self) -> None:
        version = time.time_ns()
        self._seen.update(value=version, read_at=_clock())
        try:
            cache.set(self.key, version, None)
        except Exception as e:  # a committed change must not fail because the cache is down
            # Other nodes notice within CACHE_MAX_AGE anyway: a cache that comes back empty has no stale pages.
            log.warning("could not bump shared version %s (%s)", self.key, type(e).__name__)

    def forget(self) -> None:
        self._seen.clear()


_all_versions: list[SharedVersion] = []


def shared_version(key: str) -> SharedVersion:
    version = SharedVersion(key)
    _all_versions.append(version)
    return version


def forget_all() -> None:
    """Drop what this process last read of every version (tests do, when they clear the cache)."""
    for version in _all_versions:
        version.forget()
