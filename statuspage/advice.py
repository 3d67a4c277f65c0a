"""What the state of EPS means for one pharmacy, in words and in one machine-readable action.

The lookup page, ``STATUS`` texts, the practice phone line and ``/api/v1/advice`` all answer
from here, so they can never disagree with each other or with the status page.

``advise`` is pure: the public statuses on a pharmacy's route in, advice out. The route is the
national services every prescription passes through, then the broker of the system the
pharmacy uses in its nation (or its own broker, for systems with one at each pharmacy).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from statuspage.status import SEVERITY
from statuspage.status import ComponentStatus as S


class Action(StrEnum):
    """Stable values clinical systems switch on; never renamed."""

    SEND_ELECTRONICALLY = "send_electronically"
    EXPECT_DELAYS = "expect_delays"
    PRINT_PAPER_FOR_URGENT = "print_paper_for_urgent"


ACTION: dict[str, Action] = {
    S.OPERATIONAL: Action.SEND_ELECTRONICALLY,
    S.UNDER_MAINTENANCE: Action.EXPECT_DELAYS,
    S.DEGRADED_PERFORMANCE: Action.EXPECT_DELAYS,
    # Some or all prescriptions are not arriving: an urgent item must not wait on the route.
    S.PARTIAL_OUTAGE: Action.PRINT_PAPER_FOR_URGENT,
    S.MAJOR_OUTAGE: Action.PRINT_PAPER_FOR_URGENT,
}

# The paper prescription form each nation uses when electronic prescribing is not available.
PAPER_FORM = {"england": "FP10", "wales": "WP10", "scotland": "GP10", "northern_ireland": "HS21"}


@dataclass(frozen=True)
class Leg:
    """One component on the route: its name as patients know it, and its public status."""

    name: str
    status: str
    national: bool = False


@dataclass(frozen=True)
class Advice:
    status: str  # the worst public status on the route
    action: Action
    headline: str  # a few words: "Pharmacy Manager is not working"
    patient: str  # the one plain sentence for patients (page, text, phone)
    professional: str  # what a GP practice or pharmacy should do

    @property
    def working(self) -> bool:
        return self.action == Action.SEND_ELECTRONICALLY


def worst_leg(legs: list[Leg]) -> Leg | None:
    """The leg patients need to hear about: the most severe, national services first on a tie
    (a Spine outage explains a broker's backlog, not the other way round)."""
    faulty = [leg for leg in legs if leg.status != S.OPERATIONAL]
    if not faulty:
        return None
    return max(faulty, key=lambda leg: (SEVERITY[leg.status], leg.national))


def _state(status: str) -> str:
    states: dict[str, str] = {
        S.UNDER_MAINTENANCE: _("has planned work under way"),
        S.DEGRADED_PERFORMANCE: _("is slower than usual"),
        S.PARTIAL_OUTAGE: _("is partly not working"),
        S.MAJOR_OUTAGE: _("is not working"),
    }
    return states[status]


def _effect(status: str) -> str:
    effects: dict[str, str] = {
        S.UNDER_MAINTENANCE: _("Prescriptions may take longer to arrive."),
        S.DEGRADED_PERFORMANCE: _("Prescriptions may take longer to arrive."),
        S.PARTIAL_OUTAGE: _("Some prescriptions are delayed."),
        S.MAJOR_OUTAGE: _("Prescriptions are not arriving at the moment."),
    }
    return effects[status]


def professional(action: Action, nation: str) -> str:
    if action == Action.SEND_ELECTRONICALLY:
        return _("Send prescriptions electronically as usual.")
    if action == Action.EXPECT_DELAYS:
        return _(
            "Send prescriptions electronically as usual, but expect them to take longer to arrive. "
            "Do not cancel and re-send them."
        )
    return _(
        "Electronic prescriptions may not arrive. For urgent items, print a paper prescription (%(form)s) "
        "and give it to the patient; pharmacies can make an emergency supply where clinically appropriate. "
        "Do not cancel and re-send prescriptions already sent: they will arrive when the service recovers."
    ) % {"form": PAPER_FORM.get(nation, "FP10")}


def advise(pharmacy: str, system: str, legs: list[Leg], nation: str = "") -> Advice:
    """``pharmacy``: how to name the place ("Station Pharmacy", or "pharmacies in Wales that use
    Titan"); ``system``: the name of the system it uses; ``legs``: its route."""
    leg = worst_leg(legs)
    if leg is None:
        return Advice(
            status=S.OPERATIONAL,
            action=Action.SEND_ELECTRONICALLY,
            headline=_("%(system)s is working normally") % {"system": system},
            patient=_("Prescriptions are reaching %(pharmacy)s as usual. Its system, %(system)s, is working.")
            % {"pharmacy": pharmacy, "system": system},
            professional=professional(Action.SEND_ELECTRONICALLY, nation),
        )
    action = ACTION[leg.status]
    if leg.national:
        where = _("The NHS system that sends all prescriptions (%(name)s)") % {"name": leg.name}
    else:
        where = _("%(system)s, the system used by %(pharmacy)s,") % {"system": leg.name, "pharmacy": pharmacy}
    if action == Action.PRINT_PAPER_FOR_URGENT:
        what_to_do = _(
            "Your prescription is safe and you do not need to contact your GP practice. "
            "If you need your medicine quickly, speak to the pharmacy."
        )
    else:
        what_to_do = _("Your prescription is safe and you do not need to contact your GP practice.")
    return Advice(
        status=leg.status,
        action=action,
        headline=_("%(system)s %(state)s") % {"system": leg.name, "state": _state(leg.status)},
        # Short sentences, each saying one thing: a reading age of 9 (tests/content).
        patient=_("%(where)s %(state)s. %(effect)s %(what_to_do)s")
        % {"where": where, "state": _state(leg.status), "effect": _effect(leg.status), "what_to_do": what_to_do},
        professional=professional(action, nation),
    )
