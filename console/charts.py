"""24-hour charts of a broker's probes, drawn as SVG on the server: no chart script to load,
nothing for the CSP to allow, and readable without JavaScript.

``plot`` is pure; ``broker_series`` reads the probes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Max
from django.db.models.functions import TruncMinute
from django.utils import timezone

from statuspage.models import Probe

WIDTH, HEIGHT, LEFT, BOTTOM = 600, 140, 48, 20
BUCKET = timedelta(minutes=10)


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    path: str  # SVG path data; empty when there is nothing to draw
    top: str  # the y axis' top label
    latest: str  # the latest reading, in words, for screen readers and the table
    ticks: list[tuple[float, str]]  # x positions and hour labels
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = BOTTOM


def _nice_top(value: float) -> float:
    """The axis top: 1, 2 or 5 times a power of ten, at or above the largest value."""
    if value <= 0:
        return 1
    step = 1.0
    while step * 10 <= value:
        step *= 10
    while step > value:
        step /= 10
    for m in (1, 2, 5, 10):
        if m * step >= value:
            return m * step
    return 10 * step


def _fmt(value: float, unit: str) -> str:
    if unit == "s" and value >= 120:
        return f"{value / 60:,.0f} min"
    return f"{value:,.0f} {unit}".strip() if value >= 10 or value == int(value) else f"{value:.1f} {unit}".strip()


def plot(title: str, unit: str, points: list[tuple[datetime, float | None]], start: datetime, end: datetime) -> Chart:
    """Gaps (None, or no point for a while) break the line, so silence never looks like zero."""
    values = [v for _, v in points if v is not None]
    top = _nice_top(max(values, default=0))
    span = (end - start).total_seconds()
    inner_w, inner_h = WIDTH - LEFT, HEIGHT - BOTTOM
    parts, last_at = [], None
    for at, value in points:
        if value is None:
            last_at = None
            continue
        x = LEFT + inner_w * (at - start).total_seconds() / span
        y = inner_h - inner_h * min(value, top) / top
        gap = last_at is None or at - last_at > 2 * BUCKET
        parts.append(f"{'M' if gap else 'L'}{x:.1f},{y:.1f}")
        last_at = at
    ticks = []
    hour = timezone.localtime(start).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    while hour < end:
        if timezone.localtime(hour).hour % 6 == 0:
            ticks.append((LEFT + inner_w * (hour - start).total_seconds() / span, f"{timezone.localtime(hour):%H:%M}"))
        hour += timedelta(hours=1)
    latest = next((v for _, v in reversed(points) if v is not None), None)
    return Chart(
        title=title,
        unit=unit,
        path=" ".join(parts),
        top=_fmt(top, unit),
        latest=_fmt(latest, unit) if latest is not None else "no readings",
        ticks=ticks,
    )


def broker_series(broker_id: int, now: datetime | None = None) -> list[Chart]:
    """Latency, queue depth and oldest-message age over the last 24 hours, in 10-minute buckets."""
    end = now or timezone.now()
    start = end - timedelta(hours=24)
    rows = (
        Probe.objects.filter(broker_id=broker_id, received_at__gte=start, received_at__lte=end)
        .annotate(minute=TruncMinute("received_at"))
        .values("minute")
        .annotate(latency=Avg("latency_ms"), depth=Max("queue_depth"), age=Max("oldest_message_age"))
        .order_by("minute")
    )
    buckets: dict[datetime, dict[str, list[float]]] = {}
    for row in rows:
        at = start + BUCKET * ((row["minute"] - start) // BUCKET)
        bucket = buckets.setdefault(at, {"latency": [], "depth": [], "age": []})
        for key in bucket:
            if row[key] is not None:
                bucket[key].append(row[key])
    series = {
        key: [
            (at, (max(b[key]) if key != "latency" else sum(b[key]) / len(b[key])) if b[key] else None)
            for at, b in sorted(buckets.items())
        ]
        for key in ("latency", "depth", "age")
    }
    return [
        plot("Latency", "ms", series["latency"], start, end),
        plot("Queue depth", "", series["depth"], start, end),
        plot("Oldest message waiting", "s", series["age"], start, end),
    ]
