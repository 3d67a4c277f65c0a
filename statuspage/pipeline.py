"""Are we watching? For an outside uptime check: the silence sweep ran within a minute, the snapshot
is fresh, every worker pool (and so beat, which sends their heartbeats) answered lately, and the
database and shared cache are reachable. Any of these failing is our own outage."""

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection

from statuspage.models import Vital
from statuspage.snapshot_files import VERSION_FILE

SWEEP_STALE_AFTER = 60
SNAPSHOT_STALE_AFTER = 120
POOL_STALE_AFTER = 60
SWEEP = "silence-sweep"  # detection/silence.py writes it


def _age(at: datetime | None, now: datetime) -> float | None:
    return None if at is None else round((now - at).total_seconds(), 1)


def database_error() -> str | None:
    """Why the database cannot be reached (the error's name), or None if it can."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as e:
        return type(e).__name__
    return None


def cache_error() -> str | None:
    """Why the shared cache cannot be reached, or None if it can."""
    try:
        cache.get("pipeline")
    except Exception as e:  # any client error means the same here: unreachable
        return type(e).__name__
    return None


def report(now: datetime) -> tuple[bool, dict]:
    """(healthy, what each part says)."""
    parts: dict[str, dict] = {}
    for name, error in (("database", database_error()), ("cache", cache_error())):
        parts[name] = {"ok": True} if error is None else {"ok": False, "error": error}
    vitals: dict = {}
    if parts["database"]["ok"]:
        try:
            vitals = dict(Vital.objects.values_list("name", "at"))
        except DatabaseError as e:  # gone between the two reads
            parts["database"] = {"ok": False, "error": type(e).__name__}
    sweep = _age(vitals.get(SWEEP), now)
    parts["silence_sweep"] = {"seconds_ago": sweep, "ok": sweep is not None and sweep <= SWEEP_STALE_AFTER}
    marker = Path(settings.SNAPSHOT_DIR) / VERSION_FILE
    try:
        snapshot: float | None = round(now.timestamp() - marker.stat().st_mtime, 1)
    except OSError:
        snapshot = None
    parts["snapshot"] = {"seconds_old": snapshot, "ok": snapshot is not None and snapshot <= SNAPSHOT_STALE_AFTER}
    for pool in settings.WORKER_POOLS:
        seen = _age(vitals.get(f"pool:{pool}"), now)
        parts[f"pool:{pool}"] = {"seconds_ago": seen, "ok": seen is not None and seen <= POOL_STALE_AFTER}
    return all(part["ok"] for part in parts.values()), parts
