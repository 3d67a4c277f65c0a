from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detection import health
from detection.health import Debounced, Reading, Thresholds, assess, debounce, silence
from statuspage.status import SEVERITY
from statuspage.status import ComponentStatus as S

T = Thresholds()
NOW = datetime(2026, 6, 15, 9, 40)


def verdict(**kwargs):
    return assess(Reading(reported=kwargs.pop("reported", "pass"), **kwargs), T)


def test_a_healthy_broker_is_operational_and_says_so():
    v = verdict(latency_ms=320, queue_depth=12)
    assert v.status == S.OPERATIONAL
    assert v.reason == "Working normally: delivery in 0.3 s, 12 waiting"


@pytest.mark.parametrize(
    ("reading", "status", "reason"),
    [
        ({"latency_ms": 6200}, S.DEGRADED_PERFORMANCE, "Delivery taking 6.2 s; threshold 5 s"),
        (
            {"oldest_message_age": 16 * 60},
            S.DEGRADED_PERFORMANCE,
            "Oldest prescription waiting 16 min; threshold 15 min",
        ),
        ({"error_rate": 0.06}, S.DEGRADED_PERFORMANCE, "6% of messages failing; threshold 5%"),
        ({"error_rate": 0.30}, S.PARTIAL_OUTAGE, "30% of messages failing; threshold 25%"),
        ({"oldest_message_age": 7800}, S.PARTIAL_OUTAGE, "Oldest prescription waiting 2 h 10 min; threshold 1 h"),
        ({"spine_connected": False}, S.MAJOR_OUTAGE, "Connection to NHS Spine failed"),
        ({"error_rate": 0.80}, S.MAJOR_OUTAGE, "80% of messages failing; threshold 75%"),
        ({"reported": "fail"}, S.MAJOR_OUTAGE, "The broker reports that it is failing"),
        ({"reported": "warn"}, S.DEGRADED_PERFORMANCE, "The broker reports a warning"),
    ],
)
def test_default_thresholds(reading, status, reason):
    v = verdict(**reading)
    assert (v.status, v.reason) == (status, reason)


def test_values_at_a_threshold_are_still_fine():
    assert verdict(latency_ms=5000, error_rate=0.05, oldest_message_age=900).status == S.OPERATIONAL


def test_the_worst_finding_wins_and_names_every_cause_at_that_level():
    v = verdict(spine_connected=False, error_rate=0.9, latency_ms=9000)
    assert v.status == S.MAJOR_OUTAGE
    assert v.reason == "Connection to NHS Spine failed; 90% of messages failing; threshold 75%"


def test_thresholds_are_editable_per_broker():
    strict = Thresholds.with_overrides({"degraded_latency_ms": 1000})
    assert assess(Reading(reported="pass", latency_ms=1500), strict).status == S.DEGRADED_PERFORMANCE


@pytest.mark.parametrize(
    "bad",
    [
        {"no_such": 1},
        {"major_error_rate": -1},
        {"bad_probes_to_worsen": 1.5},
        {"degraded_latency_ms": "fast"},
        {"degraded_latency_ms": True},
    ],
)
def test_nonsense_thresholds_are_refused(bad):
    with pytest.raises(ValueError):
        Thresholds.with_overrides(bad)


def run(current, verdicts):
    pending, count = "", 0
    seen = []
    for v in verdicts:
        d = debounce(current, pending, count, v, T)
        current, pending, count = d.status, d.pending_status, d.pending_count
        seen.append(current)
    return seen


def test_one_blip_changes_nothing():
    assert (
        run(S.OPERATIONAL, [S.MAJOR_OUTAGE, S.OPERATIONAL, S.MAJOR_OUTAGE, S.MAJOR_OUTAGE, S.OPERATIONAL])
        == [S.OPERATIONAL] * 5
    )


def test_going_worse_takes_three_bad_probes_in_a_row():
    assert run(S.OPERATIONAL, [S.MAJOR_OUTAGE] * 3) == [S.OPERATIONAL, S.OPERATIONAL, S.MAJOR_OUTAGE]


def test_coming_back_takes_two_good_probes():
    assert run(S.MAJOR_OUTAGE, [S.OPERATIONAL] * 2) == [S.MAJOR_OUTAGE, S.OPERATIONAL]


def test_bad_probes_of_different_severity_still_count_in_a_row():
    assert run(S.OPERATIONAL, [S.DEGRADED_PERFORMANCE, S.MAJOR_OUTAGE, S.PARTIAL_OUTAGE])[-1] == S.PARTIAL_OUTAGE


@given(st.lists(st.sampled_from([S.OPERATIONAL, S.DEGRADED_PERFORMANCE, S.PARTIAL_OUTAGE, S.MAJOR_OUTAGE])))
def test_status_only_moves_after_enough_agreeing_probes(verdicts):
    statuses = run(S.OPERATIONAL, verdicts)
    for i, (before, after) in enumerate(zip([S.OPERATIONAL, *statuses], statuses, strict=False)):
        if after == before:
            continue
        worse = SEVERITY[after] > SEVERITY[before]
        needed = T.bad_probes_to_worsen if worse else T.good_probes_to_recover
        window = verdicts[max(0, i - needed + 1) : i + 1]
        assert verdicts[i] == after
        assert len(window) == needed
        assert all(v != before and (SEVERITY[v] > SEVERITY[before]) == worse for v in window)


def test_silence_for_two_heartbeats_is_not_reporting():
    assert silence(S.OPERATIONAL, NOW, NOW + timedelta(seconds=59), 30, T) is None
    v = silence(S.OPERATIONAL, NOW, NOW + timedelta(seconds=60), 30, T)
    assert v.status == S.NOT_REPORTING
    assert v.reason == "No health report for 1 min; expected every 30 s"


def test_long_silence_is_a_major_outage_once():
    v = silence(S.NOT_REPORTING, NOW, NOW + timedelta(minutes=5), 30, T)
    assert v.status == S.MAJOR_OUTAGE
    assert silence(S.MAJOR_OUTAGE, NOW, NOW + timedelta(minutes=9), 30, T) is None


def test_silence_does_not_soften_a_worse_status():
    assert silence(S.PARTIAL_OUTAGE, NOW, NOW + timedelta(seconds=90), 30, T) is None


@given(st.sampled_from([S.OPERATIONAL, S.DEGRADED_PERFORMANCE, S.PARTIAL_OUTAGE, S.MAJOR_OUTAGE, S.NOT_REPORTING]))
def test_the_steady_state_fast_path_condition_is_exactly_when_debounce_changes_nothing(status):
    # probes.record_steady stores a probe without the lock only when verdict == status and
    # nothing is pending; debounce must leave exactly that state alone.
    assert debounce(status, "", 0, status, T) == Debounced(status, "", 0)


def test_own_health_holds_off_after_a_sweep_gap_and_when_everyone_is_quiet():
    t0 = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
    fine = health.own_health(t0, t0 + timedelta(seconds=15), 23, t0 + timedelta(seconds=14), 30, None)
    assert fine.judge and not fine.grace
    gap = health.own_health(t0, t0 + timedelta(seconds=46), 23, t0 + timedelta(seconds=45), 30, None)
    assert not gap.judge and gap.grace and "did not run for 46 s" in gap.why
    quiet = health.own_health(t0, t0 + timedelta(seconds=15), 23, t0 - timedelta(seconds=30), 30, None)
    assert not quiet.judge and not quiet.grace and quiet.quiet_since == t0 - timedelta(seconds=30)
    back = health.own_health(t0, t0 + timedelta(seconds=15), 23, t0 + timedelta(seconds=10), 30, quiet.quiet_since)
    assert not back.judge and back.grace and back.quiet_since is None
    # One or two brokers falling quiet together says nothing about us.
    few = health.own_health(t0, t0 + timedelta(seconds=15), 2, t0 - timedelta(minutes=5), 30, None)
    assert few.judge
