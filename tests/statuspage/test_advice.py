"""What the state of a pharmacy's route means: one answer, worded for patients and professionals."""

from hypothesis import given
from hypothesis import strategies as st

from statuspage.advice import Action, Leg, advise, worst_leg
from statuspage.status import PUBLIC_STATUS

PUBLIC = sorted(set(PUBLIC_STATUS.values()))


def test_everything_working_means_send_electronically():
    advice = advise("Station Pharmacy", "Pharmacy Manager", [Leg("NHS Spine", "operational", national=True)])
    assert advice.action == Action.SEND_ELECTRONICALLY and advice.working
    assert advice.patient == (
        "Prescriptions are reaching Station Pharmacy as usual. Its system, Pharmacy Manager, is working."
    )


def test_a_broken_pharmacy_system_names_it_and_says_what_to_do():
    legs = [Leg("NHS Spine", "operational", national=True), Leg("Pharmacy Manager", "major_outage")]
    advice = advise("Station Pharmacy", "Pharmacy Manager", legs, "england")
    assert advice.action == Action.PRINT_PAPER_FOR_URGENT and not advice.working
    assert advice.headline == "Pharmacy Manager is not working"
    assert advice.patient.startswith("Pharmacy Manager, the system used by Station Pharmacy, is not working")
    assert "you do not need to contact your GP practice" in advice.patient
    assert "speak to the pharmacy" in advice.patient
    assert "FP10" in advice.professional


def test_the_paper_form_is_the_nations_own():
    legs = [Leg("Titan", "major_outage")]
    assert "WP10" in advise("Castle Pharmacy", "Titan", legs, "wales").professional
    assert "GP10" in advise("Harbour Pharmacy", "Titan", legs, "scotland").professional
    assert "HS21" in advise("Lough Pharmacy", "Titan", legs, "northern_ireland").professional


def test_slower_than_usual_means_expect_delays_not_paper():
    advice = advise("Station Pharmacy", "Pharmacy Manager", [Leg("Pharmacy Manager", "degraded_performance")])
    assert advice.action == Action.EXPECT_DELAYS
    assert "may take longer" in advice.patient
    assert "urgently" not in advice.patient


def test_a_national_outage_is_told_as_national_even_when_the_broker_is_also_down():
    legs = [Leg("NHS Spine", "major_outage", national=True), Leg("Pharmacy Manager", "major_outage")]
    advice = advise("Station Pharmacy", "Pharmacy Manager", legs)
    assert advice.patient.startswith("The NHS system that sends all prescriptions (NHS Spine)")


@given(st.lists(st.tuples(st.sampled_from(PUBLIC), st.booleans()), max_size=6))
def test_the_action_follows_the_worst_leg(statuses):
    legs = [Leg(f"leg {i}", status, national) for i, (status, national) in enumerate(statuses)]
    advice = advise("P", "S", legs)
    worst = worst_leg(legs)
    if worst is None:
        assert advice.action == Action.SEND_ELECTRONICALLY
    else:
        assert advice.status == worst.status
        expected = {
            "under_maintenance": Action.EXPECT_DELAYS,
            "degraded_performance": Action.EXPECT_DELAYS,
            "partial_outage": Action.PRINT_PAPER_FOR_URGENT,
            "major_outage": Action.PRINT_PAPER_FOR_URGENT,
        }[worst.status]
        assert advice.action == expected
    # Whatever the state, the patient is never told to ring their GP.
    assert "contact your GP practice" not in advice.patient or "do not need to contact" in advice.patient
