"""24-hour charts drawn as SVG paths: gaps stay gaps, axes fit the data."""

from datetime import UTC, datetime, timedelta

import pytest

from console.charts import _nice_top, broker_series, plot
from tests import factories

START = datetime(2026, 6, 15, 0, 0, tzinfo=UTC)
END = START + timedelta(hours=24)


def test_silence_breaks_the_line_instead_of_drawing_zero():
    points = [(START + timedelta(minutes=10 * i), v) for i, v in enumerate([1, 2, None, None, 5])]
    path = plot("Latency", "ms", points, START, END).path
    assert path.count("M") == 2 and path.count("L") == 1


def test_a_long_gap_without_points_also_breaks_it():
    points = [(START, 1.0), (START + timedelta(hours=2), 1.0)]
    assert plot("x", "", points, START, END).path.count("M") == 2


@pytest.mark.parametrize("value,top", [(0, 1), (0.3, 0.5), (7, 10), (120, 200), (4500, 5000), (100, 100)])
def test_the_axis_top_is_a_round_number_at_or_above_the_largest(value, top):
    assert _nice_top(value) == pytest.approx(top)


def test_no_readings_say_so():
    chart = plot("Queue depth", "", [], START, END)
    assert chart.path == "" and chart.latest == "no readings"


def test_series_come_from_the_probes(broker, db):
    now = datetime.now(UTC)
    for minutes, depth in ((30, 10), (20, 400)):
        at = now - timedelta(minutes=minutes)
        factories.probe(
            broker, at, verdict="operational", reason="ok", queue_depth=depth, latency_ms=50, oldest_message_age=30
        )
    latency, depth, age = broker_series(broker.pk, now)
    assert depth.latest == "400" and latency.latest == "50 ms" and age.latest == "30 s"
    assert depth.path.startswith("M")


def test_a_broker_heard_from_for_a_minute_already_has_a_chart(broker, db):
    now = datetime.now(UTC)
    factories.probe(broker, now - timedelta(seconds=30), verdict="operational", reason="ok", queue_depth=3)
    depth = broker_series(broker.pk, now)[1]
    assert depth.path.startswith("M") and "h0.01" in depth.path  # one reading, drawn as a dot
    assert depth.since  # a short window, said so, not an empty day
    # Ticks every 5 minutes across those 10, none hanging off the ends.
    assert 1 <= len(depth.ticks) <= 2 and all(depth.left + 20 <= x <= depth.width - 20 for x, _ in depth.ticks)


def test_a_full_day_is_drawn_in_ten_minute_buckets_with_six_hourly_ticks():
    points = [(START + timedelta(minutes=10 * i), float(i)) for i in range(144)]
    chart = plot("x", "", points, START, END)
    assert chart.path.count("M") == 1 and chart.path.count("L") == 143
    assert [label for _, label in chart.ticks] == ["06:00", "12:00", "18:00"]  # UK time (BST); 00:00 is at the edge
