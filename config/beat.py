"""Celery beat that schedules each periodic task once per interval, however many beats run.

Two beats started by mistake (a deploy that overlaps, a second node with the beat role) would
otherwise each send every task. Before sending, a beat claims the task's current slot
(``name:now // interval``) with an atomic add in the shared cache (SET NX in Redis); a beat that
finds the slot claimed sends nothing. After the first interval the beats fall into step: whichever
reaches a slot first sends it, so each task goes once per interval, and if that beat dies the
other carries on at once, with no lease to expire. Every task is idempotent too (STYLE.md), so the
one double that two beats in different phases can make in their first interval does no harm.

With the file cache of ``make run`` (one machine, one beat) the add is best effort.
"""

import logging
import time

from celery.beat import PersistentScheduler, ScheduleEntry
from django.core.cache import cache

PREFIX = "beat-slot"
log = logging.getLogger(__name__)


def slot_key(name: str, interval: float, now: float) -> str:
    return f"{PREFIX}:{name}:{int(now // interval)}"


def interval_of(entry: ScheduleEntry) -> float | None:
    """Seconds between runs of a fixed-interval entry; None for crontab-like ones."""
    every = getattr(entry.schedule, "run_every", None)
    return every.total_seconds() if every is not None else None


def claim(entry: ScheduleEntry, now: float | None = None) -> bool:
    """True if this beat may send the entry now: it claimed the slot, or the entry has no fixed interval."""
    interval = interval_of(entry)
    if not interval:
        return True
    key = slot_key(entry.name, interval, time.time() if now is None else now)
    return bool(cache.add(key, 1, timeout=max(1, int(2 * interval))))


class OncePerInterval(PersistentScheduler):
    def apply_entry(self, entry, producer=None):
        # tick() has already moved the entry on to its next run; only the send is skipped.
        if not claim(entry):
            log.info("Scheduler: %s was sent by another beat in this interval", entry.name)
            return
        super().apply_entry(entry, producer=producer)
