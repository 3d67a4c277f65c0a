"""The console's time estimates: how long reaching everyone takes at the provider's rate."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifications import pace


@pytest.mark.parametrize(
    ("texts", "segments", "rate", "said"),
    [
        (1_000_000, 1_000_000, 100, "about 2 h 55 min"),  # 95 a second leave: the bucket stays under the rate
        (1_000_000, 2_000_000, 100, "about 5 h 33 min"),  # two segments each: the provider's pace is slower
        (600, 600, 10, "about 1 min"),
        (30, 30, 100, "under a minute"),
        (0, 0, 10, "under a minute"),
    ],
)
def test_the_time_to_reach_everyone_follows_the_rate_and_the_segments(texts, segments, rate, said):
    assert pace.describe(pace.seconds_to_reach(texts, segments, rate)) == said


def test_the_rate_is_said_in_texts_a_second():
    assert pace.rate(100.0) == "100 texts a second"
    assert pace.rate(2.5) == "2.5 texts a second"


def test_the_projected_finish_is_now_plus_what_is_left():
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    assert pace.finish(now, 0, 1, 10) == now
    assert pace.finish(now, 900, 1, 10) == now + timedelta(seconds=100)  # 9 a second leave


@given(st.integers(0, 10**7), st.integers(1, 4), st.floats(1, 1000))
def test_more_texts_or_more_segments_never_take_less_time(texts, segments, rate):
    base = pace.seconds_to_reach(texts, texts * segments, rate)
    assert pace.seconds_to_reach(texts + 1, (texts + 1) * segments, rate) >= base
    assert pace.seconds_to_reach(texts, texts * (segments + 1), rate) >= base
