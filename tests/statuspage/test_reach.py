"""Proportionate severity: the pure rules, without a database."""

from hypothesis import given
from hypothesis import strategies as st

from statuspage import reach
from statuspage.reach import GP, NATIONAL, PHARMACY, Fault, level_of, lines, page_indicator

TOTALS = {("england", PHARMACY): 1000, ("wales", PHARMACY): 100, ("england", GP): 200}


def where(nation):
    return {"england": "in England", "wales": "in Wales"}[nation]


def pm(status, served=300, nation="england", incident=""):
    return Fault(PHARMACY, status, nation=nation, served=served, incident=incident)


def site(status="major_outage", name="Kirkstall Road Pharmacy, LS3 1HR"):
    return Fault(PHARMACY, status, nation="england", served=1, site=name)


def test_nothing_wrong_is_none():
    assert page_indicator([], TOTALS) == ("none", "All Systems Operational")


def test_one_pharmacys_own_broker_never_makes_a_national_alarm():
    assert level_of([site()], TOTALS) == "minor"
    assert page_indicator([site()], TOTALS)[0] == "minor"


def test_many_pharmacies_own_brokers_together_reach_a_nation():
    faults = [site(name=f"Pharmacy {n}") for n in range(300)]
    assert level_of(faults, TOTALS) == "critical"


def test_a_system_that_stops_for_a_quarter_of_a_nation_is_critical():
    assert level_of([pm("major_outage", served=250)], TOTALS) == "critical"


def test_a_system_that_stops_for_fewer_is_major_not_critical():
    assert level_of([pm("major_outage", served=130)], TOTALS) == "major"


def test_two_small_systems_stopping_in_one_nation_add_up():
    faults = [pm("major_outage", served=130), Fault(PHARMACY, "major_outage", nation="england", served=150)]
    assert level_of(faults, TOTALS) == "critical"


def test_small_systems_in_different_nations_do_not_add_up():
    faults = [pm("major_outage", served=130), pm("major_outage", served=20, nation="wales")]
    assert level_of(faults, TOTALS) == "major"


def test_slowness_is_minor_and_a_wide_partial_outage_is_major():
    assert level_of([pm("degraded_performance", served=900)], TOTALS) == "major"
    assert level_of([pm("degraded_performance", served=100)], TOTALS) == "minor"
    assert level_of([pm("partial_outage", served=100)], TOTALS) == "minor"
    assert level_of([pm("partial_outage", served=300)], TOTALS) == "major"


def test_a_quiet_broker_counts_as_slower_not_stopped():
    assert level_of([pm("not_reporting", served=900)], TOTALS) == "major"
    assert level_of([pm("not_reporting", served=10)], TOTALS) == "minor"


def test_a_national_service_counts_as_its_status_says():
    assert level_of([Fault(NATIONAL, "major_outage")], TOTALS) == "critical"
    assert level_of([Fault(NATIONAL, "degraded_performance")], TOTALS) == "minor"
    assert level_of([Fault(NATIONAL, "under_maintenance")], TOTALS) == "maintenance"


def test_a_nation_we_know_no_pharmacies_in_is_never_critical_from_a_share_we_cannot_know():
    assert level_of([pm("major_outage", nation="scotland")], TOTALS) == "major"


def test_ops_declared_impact_counts_when_worse():
    assert page_indicator([site()], TOTALS, open_impacts=["critical"])[0] == "critical"
    assert page_indicator([], TOTALS, maintenance_active=True)[0] == "maintenance"
    assert page_indicator([site()], TOTALS, maintenance_active=True)[0] == "minor"


def test_lines_say_what_patients_experience_and_where_never_the_product():
    said = lines([pm("major_outage", served=300)], TOTALS, where)
    assert [line.text for line in said] == ["Prescriptions are not reaching some pharmacies in England."]
    said = lines([pm("major_outage", served=600)], TOTALS, where)
    assert said[0].text == "Prescriptions are not reaching most pharmacies in England."
    said = lines([Fault(GP, "degraded_performance", nation="england", served=50)], TOTALS, where)
    assert said[0].text == "Prescriptions are slow to leave some GP practices in England."


def test_lines_come_worst_first_and_name_single_pharmacies():
    said = lines([site(), pm("degraded_performance", served=30, nation="wales"), pm("major_outage")], TOTALS, where)
    assert [line.text for line in said] == [
        "Prescriptions are not reaching some pharmacies in England.",
        "Prescriptions are slow to reach some pharmacies in Wales.",
        "Prescriptions are not reaching Kirkstall Road Pharmacy, LS3 1HR.",
    ]
    assert said[-1].local and not said[0].local


def test_many_single_pharmacies_are_counted_not_listed():
    said = lines([site(name=f"Pharmacy {n}") for n in range(5)], TOTALS, where)
    assert said[0].text == "Prescriptions are not reaching Pharmacy 0, Pharmacy 1 and 3 other pharmacies."


def test_a_line_links_its_incident_only_when_every_fault_behind_it_is_published():
    said = lines([pm("major_outage", incident="/incidents/abc/")], TOTALS, where)
    assert said[0].incident == "/incidents/abc/"
    both = [pm("major_outage", incident="/incidents/abc/"), pm("major_outage", served=10)]
    assert not lines(both, TOTALS, where)[0].published


def test_the_thresholds_are_what_the_docs_say():
    assert (reach.WIDE, reach.MOST) == (0.25, 0.5)


FAULTS = st.builds(
    Fault,
    side=st.sampled_from([PHARMACY, GP, NATIONAL]),
    status=st.sampled_from(["operational", "degraded_performance", "partial_outage", "major_outage", "not_reporting"]),
    nation=st.sampled_from(["england", "wales", "scotland"]),
    served=st.integers(0, 1200),
    site=st.sampled_from(["", "A pharmacy, LS1 1AA"]),
)
RANK = ["none", "maintenance", "minor", "major", "critical"]


@given(st.lists(FAULTS), FAULTS)
def test_one_more_fault_never_makes_the_indicator_better(faults, extra):
    before = RANK.index(page_indicator(faults, TOTALS)[0])
    assert RANK.index(page_indicator([*faults, extra], TOTALS)[0]) >= before
