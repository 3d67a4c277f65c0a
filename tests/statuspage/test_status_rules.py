from hypothesis import given
from hypothesis import strategies as st

from statuspage.status import ComponentStatus as S
from statuspage.status import group_status, indicator, public_status, worst

ANY_STATUS = st.sampled_from(list(S))


def test_not_reporting_is_never_shown_raw():
    assert public_status(S.NOT_REPORTING) == S.DEGRADED_PERFORMANCE
    assert all(public_status(s) != S.NOT_REPORTING for s in S)


def test_a_group_shows_its_worst_child():
    assert group_status([S.OPERATIONAL, S.PARTIAL_OUTAGE, S.DEGRADED_PERFORMANCE]) == S.PARTIAL_OUTAGE
    assert group_status([]) == S.OPERATIONAL


def test_one_pharmacys_broker_failing_is_at_most_a_partial_outage_for_the_nation():
    assert group_status([S.OPERATIONAL], site_statuses=[S.MAJOR_OUTAGE]) == S.PARTIAL_OUTAGE
    assert group_status([S.MAJOR_OUTAGE], site_statuses=[S.MAJOR_OUTAGE]) == S.MAJOR_OUTAGE


def test_a_fault_during_maintenance_still_shows():
    assert worst([S.UNDER_MAINTENANCE, S.DEGRADED_PERFORMANCE]) == S.DEGRADED_PERFORMANCE
    assert worst([S.UNDER_MAINTENANCE, S.OPERATIONAL]) == S.UNDER_MAINTENANCE


def test_indicator_follows_the_worst_component():
    assert indicator([S.OPERATIONAL]) == ("none", "All Systems Operational")
    assert indicator([S.DEGRADED_PERFORMANCE]) == ("minor", "Minor Service Outage")
    assert indicator([S.PARTIAL_OUTAGE]) == ("major", "Partial System Outage")
    assert indicator([S.MAJOR_OUTAGE, S.DEGRADED_PERFORMANCE]) == ("critical", "Major System Outage")


def test_an_incident_declared_before_any_probe_noticed_raises_the_indicator():
    assert indicator([S.OPERATIONAL], open_impacts=["major"])[0] == "major"
    assert indicator([S.OPERATIONAL], open_impacts=["none"])[0] == "none"


def test_maintenance_shows_only_when_nothing_is_worse():
    assert indicator([S.OPERATIONAL], maintenance_active=True)[0] == "maintenance"
    assert indicator([S.PARTIAL_OUTAGE], maintenance_active=True)[0] == "major"


@given(st.lists(ANY_STATUS))
def test_group_status_does_not_depend_on_order(statuses):
    assert group_status(statuses) == group_status(list(reversed(statuses)))


@given(st.lists(ANY_STATUS), ANY_STATUS)
def test_a_child_getting_worse_never_makes_the_indicator_better(statuses, extra):
    rank = ["none", "maintenance", "minor", "major", "critical"]
    before = rank.index(indicator(statuses)[0])
    after = rank.index(indicator([*statuses, extra])[0])
    assert after >= before
