"""A broker's queue, said in patient terms. Pure: samples in, a sentence out."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from statuspage.wording import uk_time

# Below this, a wait is ordinary and not worth a notice.
NOTICEABLE_DELAY = 15 * 60
DRAIN_WINDOW = timedelta(minutes=5)


@dataclass(frozen=True)
class Sample:
    at: datetime
    depth: int | None
    oldest: float | None  # seconds the oldest waiting prescription has waited


def drain_rate(samples: Sequence[Sample]) -> float | None:
    """Prescriptions a minute the queue is going down by over the last few minutes, or None if it is not."""
    recent = [(s.at, s.depth) for s in samples if s.depth is not None and s.at >= samples[-1].at - DRAIN_WINDOW]
    if len(recent) < 2:
        return None
    (first_at, first_depth), (last_at, last_depth) = recent[0], recent[-1]
    minutes = (last_at - first_at).total_seconds() / 60
    shrunk = first_depth - last_depth
    if minutes <= 0 or shrunk <= 0:
        return None
    return shrunk / minutes


def notice(who: str, samples: Sequence[Sample]) -> str | None:
    """E.g. 'Prescriptions sent to pharmacies in England that use Pharmacy Manager since 9:40am have not
    arrived yet.' A delay is given only as a forecast, from how fast the backlog is clearing: how long the
    oldest has waited says nothing about when the rest will arrive. Samples oldest first."""
    if not samples:
        return None
    latest = samples[-1]
    if latest.oldest is None or latest.oldest < NOTICEABLE_DELAY:
        return None
    since = latest.at - timedelta(seconds=latest.oldest)
    text = _("Prescriptions sent to %(who)s since %(since)s have not all arrived yet.") % {
        "who": who,
        "since": uk_time(since),
    }
    rate = drain_rate(samples)
    if rate and latest.depth:
        clear = latest.at + timedelta(minutes=latest.depth / rate)
        text += " " + _("They are arriving again. They should all be there by about %(clear)s.") % {
            "clear": uk_time(clear)
        }
    return text
