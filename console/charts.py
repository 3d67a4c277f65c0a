"""Charts of a broker's last 24 hours of probes, drawn as SVG on the server: no chart script to load,
nothing for the CSP to allow, and readable without JavaScript.

A broker heard from for only a few minutes gets a window as long as its history (at least
MIN_WINDOW) in buckets to match, so its chart shows what there is from the first minute instead of
a dot at the right edge of an empty day.

``plot`` is pure; ``broker_series`` reads the probes.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db.models import Avg, Max
from django.db.models.functions import TruncMinute
from django.utils import timezone

from statuspage.models import Probe
from statuspage.wording import uk_time

# In viewBox units; the chart is drawn about 370 px wide, so 14-unit labels read at about 13 px.
WIDTH, HEIGHT, LEFT, BOTTOM = 400, 160, 64, 24
DAY = timedelta(hours=24)
MIN_WINDOW = timedelta(minutes=10)
# Points across the widest window: 10-minute buckets over a day, 1-minute ones over the first hour.
POINTS = 144
# Tick spacing by window length: every 5 minutes over the first 20, ..., every 6 hours over a day.
TICKS = [
    (timedelta(minutes=20), 5),
    (timedelta(hours=1), 15),
    (timedelta(hours=3), 30),
    (timedelta(hours=8), 60),
    (DAY, 360),
]


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    path: str  # SVG path data; empty when there is nothing to draw
    top: str  # the y axis' top label
    latest: str  # the latest reading, in words, for screen readers and the table
    ticks: list[tuple[float, str]]  # x positions and clock labels
    since: str = ""  # when the window starts, if it is shorter than a day
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


def bucket_for(start: datetime, end: datetime) -> timedelta:
    """Whole minutes, about POINTS of them across the window."""
    return timedelta(minutes=max(1, round((end - start).total_seconds() / 60 / POINTS)))


def _ticks(start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """Round clock times across the window (UK time), closer together for a shorter window."""
    every = timedelta(minutes=next(minutes for longest, minutes in TICKS if end - start <= longest))
    local = timezone.localtime(start)
    since_midnight = local - local.replace(hour=0, minute=0, second=0, microsecond=0)
    at = start + (-since_midnight % every)
    found = []
    while at < end:
        found.append((at, f"{timezone.localtime(at):%H:%M}"))
        at += every
    return found


def plot(
    title: str,
    unit: str,
    points: list[tuple[datetime, float | None]],
    start: datetime,
    end: datetime,
    bucket: timedelta | None = None,
) -> Chart:
    """Gaps (None, or no point for a while) break the line, so silence never looks like zero. A
    point alone between gaps is drawn as a dot, so a single reading still shows."""
    bucket = bucket or bucket_for(start, end)
    values = [v for _, v in points if v is not None]
    top = _nice_top(max(values, default=0))
    span = (end - start).total_seconds()
    inner_w, inner_h = WIDTH - LEFT, HEIGHT - BOTTOM
    runs: list[list[str]] = []
    last_at = None
    for at, value in points:
        if value is None:
            last_at = None
            continue
        x = LEFT + inner_w * (at - start).total_seconds() / span
        y = inner_h - inner_h * min(value, top) / top
        if last_at is None or at - last_at > 2 * bucket:
            runs.append([])
        runs[-1].append(f"{x:.1f},{y:.1f}")
        last_at = at
    # A run of one point gets a zero-length segment: with round caps it shows as a dot.
    parts = [f"M{run[0]} " + (" ".join(f"L{p}" for p in run[1:]) if len(run) > 1 else "h0.01") for run in runs]
    ticks = [
        (x, label)
        for at, label in _ticks(start, end)
        # A label that would hang off either end is left out rather than cut in half.
        if LEFT + 20 <= (x := LEFT + inner_w * (at - start).total_seconds() / span) <= WIDTH - 20
    ]
    latest = next((v for _, v in reversed(points) if v is not None), None)
    return Chart(
        title=title,
        unit=unit,
        path=" ".join(p.strip() for p in parts),
        top=_fmt(top, unit),
        latest=_fmt(latest, unit) if latest is not None else "no readings",
        ticks=ticks,
    )


def broker_series(broker_id: int, now: datetime | None = None) -> list[Chart]:
    """Latency, queue depth and oldest-message age over the last 24 hours (or since the first probe,
    if that is sooner), in about POINTS buckets."""
    end = now or timezone.now()
    probes = Probe.objects.filter(broker_id=broker_id, received_at__gte=end - DAY, received_at__lte=end)
    first = probes.order_by("received_at").values_list("received_at", flat=True).first()
    start = end - min(DAY, max(MIN_WINDOW, end - first)) if first else end - DAY
    bucket = bucket_for(start, end)
    rows = (
        probes.filter(received_at__gte=start)
        .annotate(minute=TruncMinute("received_at"))
        .values("minute")
        .annotate(latency=Avg("latency_ms"), depth=Max("queue_depth"), age=Max("oldest_message_age"))
        .order_by("minute")
    )
    buckets: dict[datetime, dict[str, list[float]]] = {}
    for row in rows:
        at = start + bucket * ((row["minute"] - start) // bucket)
        found = buckets.setdefault(at, {"latency": [], "depth": [], "age": []})
        for key in found:
            if row[key] is not None:
                found[key].append(row[key])
    series = {
        key: [
            (at, (max(b[key]) if key != "latency" else sum(b[key]) / len(b[key])) if b[key] else None)
            for at, b in sorted(buckets.items())
        ]
        for key in ("latency", "depth", "age")
    }
    since = uk_time(start) if end - start < DAY else ""
    return [
        replace(plot(title, unit, series[key], start, end, bucket), since=since)
        for key, title, unit in (
            ("latency", "Latency", "ms"),
            ("depth", "Queue depth", ""),
            ("age", "Oldest message waiting", "s"),
        )
    ]
