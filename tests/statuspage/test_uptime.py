from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from statuspage.status import ComponentStatus as S
from statuspage.uptime import daily_uptime, format_duration, format_percent, overall_uptime

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=LONDON)
LONG_AGO = NOW - timedelta(days=200)


def test_a_quiet_component_is_up_every_day():
    days = daily_uptime([], S.OPERATIONAL, LONG_AGO, NOW, days=90)
    assert len(days) == 90
    assert days[-1].day == NOW.date()
    assert all(d.uptime == 100 and d.level == "none" for d in days)
    assert overall_uptime(days) == 100


def test_a_major_outage_counts_fully_and_a_partial_outage_30_percent():
    start = datetime(2026, 6, 14, 10, 0, tzinfo=LONDON)
    changes = [
        (start, S.MAJOR_OUTAGE),
        (start + timedelta(hours=1), S.PARTIAL_OUTAGE),
        (start + timedelta(hours=2), S.OPERATIONAL),
    ]
    yesterday = daily_uptime(changes, S.OPERATIONAL, LONG_AGO, NOW, days=2)[0]
    assert yesterday.down_seconds == 3600 + 0.3 * 3600
    assert round(yesterday.uptime, 3) == round(100 * (1 - 4680 / 86400), 3)
    assert yesterday.level == "critical"
    assert "not working for 1 h" in yesterday.summary
    assert "partly not working for 1 h" in yesterday.summary


def test_slowness_colours_the_day_but_is_not_down_time():
    start = datetime(2026, 6, 14, 10, 0, tzinfo=LONDON)
    changes = [(start, S.DEGRADED_PERFORMANCE), (start + timedelta(minutes=30), S.OPERATIONAL)]
    day = daily_uptime(changes, S.OPERATIONAL, LONG_AGO, NOW, days=2)[0]
    assert day.uptime == 100
    assert day.level == "minor"
    assert "slower than usual for 30 min" in day.summary


def test_silence_counts_as_slowness_not_as_a_hidden_state():
    start = datetime(2026, 6, 14, 10, 0, tzinfo=LONDON)
    changes = [(start, S.NOT_REPORTING), (start + timedelta(minutes=5), S.OPERATIONAL)]
    day = daily_uptime(changes, S.OPERATIONAL, LONG_AGO, NOW, days=2)[0]
    assert day.seconds == {S.OPERATIONAL: 86400 - 300, S.DEGRADED_PERFORMANCE: 300}


def test_an_outage_across_midnight_is_split_between_the_days():
    start = datetime(2026, 6, 13, 23, 0, tzinfo=LONDON)
    changes = [(start, S.MAJOR_OUTAGE), (start + timedelta(hours=2), S.OPERATIONAL)]
    first, second = daily_uptime(changes, S.OPERATIONAL, LONG_AGO, NOW, days=3)[:2]
    assert first.down_seconds == 3600
    assert second.down_seconds == 3600


def test_days_are_uk_days_including_the_short_day_when_clocks_go_forward():
    now = datetime(2026, 3, 30, 12, 0, tzinfo=LONDON)
    days = daily_uptime([], S.OPERATIONAL, LONG_AGO, now, days=2)
    assert days[0].day.isoformat() == "2026-03-29"
    assert days[0].known_seconds == 23 * 3600


def test_an_outage_still_going_counts_up_to_now():
    changes = [(NOW - timedelta(hours=2), S.MAJOR_OUTAGE)]
    today = daily_uptime(changes, S.OPERATIONAL, LONG_AGO, NOW, days=1)[0]
    assert today.known_seconds == 12 * 3600
    assert today.down_seconds == 2 * 3600


def test_days_before_the_component_existed_have_no_data():
    created = NOW - timedelta(days=2)
    days = daily_uptime([], S.OPERATIONAL, created, NOW, days=5)
    assert [d.level for d in days[:2]] == ["nodata", "nodata"]
    assert days[0].uptime is None
    assert days[0].summary.endswith("no data")


def test_the_status_before_the_window_carries_in():
    days = daily_uptime([], S.MAJOR_OUTAGE, LONG_AGO, NOW, days=2)
    assert days[0].uptime == 0


def test_a_day_with_any_outage_is_never_rounded_up_to_100_percent():
    assert format_percent(99.9999) == "99.99%"
    assert format_percent(100.0) == "100%"
    assert format_percent(97.5) == "97.5%"


def test_durations_read_naturally():
    assert format_duration(59 * 60) == "59 min"
    assert format_duration(7200) == "2 h"
    assert format_duration(7800) == "2 h 10 min"


@given(st.lists(st.tuples(st.integers(0, 89 * 24 * 60), st.sampled_from(list(S))), max_size=30))
def test_every_known_second_is_accounted_for_once(raw):
    changes = sorted((NOW - timedelta(minutes=m), s) for m, s in raw)
    for day in daily_uptime(changes, S.OPERATIONAL, LONG_AGO, NOW, days=90):
        assert abs(sum(day.seconds.values()) - day.known_seconds) < 1e-6
        assert 0 <= day.uptime <= 100
