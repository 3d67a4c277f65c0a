"""Proportionate severity: how bad a fault is depends on how many people it reaches.

Pure rules over plain values (no database, no clock), so the page indicator, the banner and
``status.json`` agree and can be tested on their own. ``docs/status-model.md`` states them in words.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from statuspage.status import INDICATOR_DESCRIPTION, ComponentStatus, Impact, public_status

S = ComponentStatus

# A fault that stops prescriptions to at least this share of a nation's pharmacies (or leaving its
# GP practices) is a critical, national event. Below it, it is a partial one.
WIDE = 0.25
# From this share up, the banner says "most" instead of "some".
MOST = 0.5

PHARMACY, GP, NATIONAL = "pharmacy", "gp", "national"
_RANK = {"none": 0, "maintenance": 1, "minor": 2, "major": 3, "critical": 4}


@dataclass(frozen=True)
class Fault:
    """A component that is not working normally, and whom it serves."""

    side: str  # PHARMACY, GP or NATIONAL (a service every prescription passes through)
    status: str  # its status (internal or public)
    nation: str = ""  # empty for a national service
    served: int = 0  # pharmacies or GP practices whose prescriptions pass through it
    site: str = ""  # "Name, postcode" when it is one pharmacy's own broker
    incident: str = ""  # the address of an open incident that covers it, once ops have published one

    @property
    def published(self) -> bool:
        return bool(self.incident)


@dataclass(frozen=True)
class Line:
    """One sentence of the banner: what patients experience, and where."""

    text: str
    incident: str  # where to read more, when every fault behind the sentence is published
    level: str
    local: bool = False  # about single pharmacies' own brokers, not an area

    @property
    def published(self) -> bool:
        return bool(self.incident)


def _shown(status: str) -> str:
    return public_status(status)


def _stopped(fault: Fault) -> bool:
    return _shown(fault.status) == S.MAJOR_OUTAGE


def share(faults: Iterable[Fault], places: int) -> float:
    """The share of a nation's places the faults reach (0 when we know of no places)."""
    return min(1.0, sum(f.served for f in faults) / places) if places else 0.0


def level_of(faults: list[Fault], totals: dict[tuple[str, str], int]) -> str:
    """The indicator level for some faults: Statuspage's none / minor / major / critical, by reach.

    * A national service counts as its status says: slower is minor, partly is major, stopped is critical.
    * Brokers are counted together per nation and side. Stopped for at least WIDE of the nation is
      critical; stopped for fewer, or partly working for WIDE or more, is major; anything else is minor.
    * One pharmacy's own broker (or a few) is minor: it shows on that pharmacy's page and in the systems
      list, and never raises a national alarm.
    """
    levels = ["none"]
    for fault in faults:
        if fault.side == NATIONAL:
            shown = _shown(fault.status)
            levels.append(
                {
                    S.DEGRADED_PERFORMANCE: "minor",
                    S.PARTIAL_OUTAGE: "major",
                    S.MAJOR_OUTAGE: "critical",
                    S.UNDER_MAINTENANCE: "maintenance",
                }.get(shown, "none")
            )
    for (nation, side), group in _by_area(faults).items():
        places = totals.get((nation, side), 0)
        stopped = [f for f in group if _stopped(f)]
        troubled = [f for f in group if _shown(f.status) not in (S.OPERATIONAL, S.UNDER_MAINTENANCE)]
        if stopped and share(stopped, places) >= WIDE:
            levels.append("critical")
        elif any(not f.site for f in stopped) or (troubled and share(troubled, places) >= WIDE):
            levels.append("major")
        elif troubled:
            levels.append("minor")
        elif group:
            levels.append("maintenance")
    return max(levels, key=_RANK.__getitem__)


def page_indicator(
    faults: list[Fault],
    totals: dict[tuple[str, str], int],
    open_impacts: Iterable[str] = (),
    maintenance_active: bool = False,
) -> tuple[str, str]:
    """``status.json``'s indicator: the worse of the faults' reach and what open incidents declare
    (ops may declare one before any probe notices, and they know its reach). Maintenance shows only
    when nothing is worse."""
    levels = [level_of(faults, totals), *(i for i in open_impacts if i != Impact.NONE)]
    if maintenance_active:
        levels.append("maintenance")
    level = max(levels, key=_RANK.__getitem__)
    return level, INDICATOR_DESCRIPTION[level]


def _by_area(faults: Iterable[Fault]) -> dict[tuple[str, str], list[Fault]]:
    areas: dict[tuple[str, str], list[Fault]] = {}
    for fault in faults:
        if fault.side != NATIONAL:
            areas.setdefault((fault.nation, fault.side), []).append(fault)
    return areas


def _extent(faults: list[Fault], places: int) -> str:
    return "most" if share(faults, places) >= MOST else "some"


def _area_sentence(side: str, stopped: bool, extent: str, where: str) -> str:
    # Whole sentences, so translators see each one (Welsh word order differs).
    sentences = {
        (PHARMACY, True, "some"): _("Prescriptions are not reaching some pharmacies %(where)s."),
        (PHARMACY, True, "most"): _("Prescriptions are not reaching most pharmacies %(where)s."),
        (PHARMACY, False, "some"): _("Prescriptions are slow to reach some pharmacies %(where)s."),
        (PHARMACY, False, "most"): _("Prescriptions are slow to reach most pharmacies %(where)s."),
        (GP, True, "some"): _("Prescriptions are not being sent from some GP practices %(where)s."),
        (GP, True, "most"): _("Prescriptions are not being sent from most GP practices %(where)s."),
        (GP, False, "some"): _("Prescriptions are slow to leave some GP practices %(where)s."),
        (GP, False, "most"): _("Prescriptions are slow to leave most GP practices %(where)s."),
    }
    return sentences[(side, stopped, extent)] % {"where": where}


def lines(faults: list[Fault], totals: dict[tuple[str, str], int], in_nation) -> list[Line]:
    """The banner's sentences, worst first: what patients experience, never a supplier's product.

    ``in_nation`` turns a nation into its phrase ("in England"): the domain's wording, passed in.
    """
    result: list[Line] = []
    national = [f for f in faults if f.side == NATIONAL and _shown(f.status) != S.UNDER_MAINTENANCE]
    if national:
        stopped = any(_stopped(f) for f in national)
        result.append(
            Line(
                _("Prescriptions are delayed everywhere.")
                if stopped
                else _("Prescriptions may take longer than usual everywhere."),
                incident=_covered(national),
                level=level_of(national, totals),
            )
        )
    sites: list[Fault] = []
    for (nation, side), group in sorted(_by_area(faults).items()):
        central = [f for f in group if not f.site and _shown(f.status) != S.UNDER_MAINTENANCE]
        sites += [f for f in group if f.site and _shown(f.status) != S.UNDER_MAINTENANCE]
        if not central:
            continue
        places = totals.get((nation, side), 0)
        stopped = [f for f in central if _stopped(f)]
        worst = stopped or central
        result.append(
            Line(
                _area_sentence(side, bool(stopped), _extent(worst, places), in_nation(nation)),
                incident=_covered(worst),
                level=level_of(group, totals),
            )
        )
    if sites:
        result.append(_sites_line(sites))
    return sorted(result, key=lambda line: -_RANK[line.level])


def _sites_line(sites: list[Fault]) -> Line:
    named = sorted(f.site for f in sites)
    stopped = any(_stopped(f) for f in sites)
    if len(named) <= 2:
        template = (
            _("Prescriptions are not reaching %(pharmacies)s.")
            if stopped
            else _("Prescriptions are slow to reach %(pharmacies)s.")
        )
        text = template % {"pharmacies": _(" and ").join(named)}
    else:
        text = ngettext(
            "Prescriptions are not reaching %(pharmacies)s and %(n)d other pharmacy.",
            "Prescriptions are not reaching %(pharmacies)s and %(n)d other pharmacies.",
            len(named) - 2,
        ) % {"pharmacies": ", ".join(named[:2]), "n": len(named) - 2}
    return Line(text, incident=_covered(sites), level="minor", local=True)


def _covered(faults: list[Fault]) -> str:
    """An incident to read, when every one of the faults is covered by one."""
    return faults[0].incident if all(f.published for f in faults) else ""
