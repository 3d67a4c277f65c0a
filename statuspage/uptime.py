"""Uptime from status history: pure functions, no database and no clock of their own.

Weighting follows Statuspage: time in major outage counts fully as down time,
time in partial outage counts 30%. Degraded performance, maintenance and
not-reporting count as up (they are shown, but a slow service is a working one).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from statuspage.status import ComponentStatus as S
from statuspage.status import public_status

LONDON = ZoneInfo("Europe/London")
DOWN_WEIGHT = {S.MAJOR_OUTAGE: 1.0, S.PARTIAL_OUTAGE: 0.3}
_WORDS = {
    S.MAJOR_OUTAGE: gettext_lazy("not working"),
    S.PARTIAL_OUTAGE: gettext_lazy("partly not working"),
    S.DEGRADED_PERFORMANCE: gettext_lazy("slower than usual"),
    S.UNDER_MAINTENANCE: gettext_lazy("planned maintenance"),
}


@dataclass(frozen=True)
class Day:
    day: date
    known_seconds: float
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def down_seconds(self) -> float:
        return sum(self.seconds.get(s, 0.0) * w for s, w in DOWN_WEIGHT.items())

    @property
    def uptime(self) -> float | None:
        """Percentage up, or None for a day before the component existed."""
        if self.known_seconds <= 0:
            return None
        return 100.0 * (1 - self.down_seconds / self.known_seconds)

    @property
    def level(self) -> str:
        """The bar colour: by time down, then by any slowness."""
        if self.known_seconds <= 0:
            return "nodata"
        down = self.down_seconds
        if down >= 3600:
            return "critical"
        if down > 0:
            return "major"
        if any(self.seconds.get(s) for s in (S.DEGRADED_PERFORMANCE, S.UNDER_MAINTENANCE)):
            return "minor"
        return "none"

    @property
    def summary(self) -> str:
        heading = dateformat.format(self.day, "D j M Y")  # month and day names in the reader's language
        if self.uptime is None:
            return _("%(day)s: no data") % {"day": heading}
        problems = [
            _("%(what)s for %(how_long)s") % {"what": _WORDS[s], "how_long": format_duration(self.seconds[s])}
            for s in (S.MAJOR_OUTAGE, S.PARTIAL_OUTAGE, S.DEGRADED_PERFORMANCE, S.UNDER_MAINTENANCE)
            if self.seconds.get(s, 0) >= 60
        ]
        detail = "; ".join(problems) if problems else _("no problems")
        return f"{heading}: {format_percent(self.uptime)}, {detail}"


def format_duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    hours, minutes = divmod(minutes, 60)
    h, m = pgettext("hours, abbreviated", "h"), pgettext("minutes, abbreviated", "min")
    if hours and minutes:
        return f"{hours} {h} {minutes} {m}"
    if hours:
        return f"{hours} {h}"
    return f"{minutes} {m}"


def format_percent(value: float) -> str:
    # Never round a day with an outage up to "100%": that would hide it.
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "99.99%" if text == "100" and value < 100 else f"{text}%"


# The public record, in days: the uptime bars, the history page, the incidents the snapshot keeps
# and the maintenance feed's past all cover this window.
HISTORY_DAYS = 90


def daily_uptime(
    changes: Sequence[tuple[datetime, str]],
    initial_status: str,
    created_at: datetime,
    now: datetime,
    days: int = HISTORY_DAYS,
    tz: ZoneInfo = LONDON,
) -> list[Day]:
    """Time spent in each public status on each of the last ``days`` local days.

    ``changes`` is the component's history as (time, new status), oldest first; from
    ``created_at`` until the first of them the status was ``initial_status``.
    """
    # Arithmetic between datetimes that share a tzinfo is wall-clock arithmetic in
    # Python, which would make the day the clocks change 24 hours long: work in UTC.
    now, created_at = now.astimezone(UTC), created_at.astimezone(UTC)
    last_day = now.astimezone(tz).date()
    first_day = last_day - timedelta(days=days - 1)
    # Status intervals [start, end) with the public status in force.
    points = [(created_at, public_status(initial_status))] + [
        (at.astimezone(UTC), public_status(st)) for at, st in changes if at >= created_at
    ]
    intervals = []
    for (start, status), (end, _next) in zip(points, [*points[1:], (now, None)], strict=True):
        if end > start:
            intervals.append((start, min(end, now), status))

    result = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        day_start = datetime.combine(day, time.min, tz).astimezone(UTC)
        day_end = datetime.combine(day + timedelta(days=1), time.min, tz).astimezone(UTC)
        window_start, window_end = max(day_start, created_at), min(day_end, now)
        seconds: dict[str, float] = {}
        for start, end, status in intervals:
            overlap = (min(end, window_end) - max(start, window_start)).total_seconds()
            if overlap > 0:
                seconds[status] = seconds.get(status, 0.0) + overlap
        known = max((window_end - window_start).total_seconds(), 0.0)
        result.append(Day(day=day, known_seconds=known, seconds=seconds))
    return result


def overall_uptime(days: Sequence[Day]) -> float | None:
    known = sum(d.known_seconds for d in days)
    if known <= 0:
        return None
    return 100.0 * (1 - sum(d.down_seconds for d in days) / known)
