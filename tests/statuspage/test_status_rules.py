from hypothesis import given
from hypothesis import strategies as st

from statuspage.status import ComponentStatus as S
from statuspage.status import group_status, public_status, worst

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


def test_one_pharmacys_own_broker_among_many_leaves_its_group_alone():
    sites = [S.MAJOR_OUTAGE] + [S.OPERATIONAL] * 24
    assert group_status([S.OPERATIONAL], site_statuses=sites) == S.OPERATIONAL
    sites = [S.MAJOR_OUTAGE] * 7 + [S.OPERATIONAL] * 18
    assert group_status([S.OPERATIONAL], site_statuses=sites) == S.PARTIAL_OUTAGE


def test_a_fault_during_maintenance_still_shows():
    assert worst([S.UNDER_MAINTENANCE, S.DEGRADED_PERFORMANCE]) == S.DEGRADED_PERFORMANCE
    assert worst([S.UNDER_MAINTENANCE, S.OPERATIONAL]) == S.UNDER_MAINTENANCE


@given(st.lists(ANY_STATUS))
def test_group_status_does_not_depend_on_order(statuses):
    assert group_status(statuses) == group_status(list(reversed(statuses)))
