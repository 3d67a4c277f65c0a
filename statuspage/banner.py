"""The home page's answer to "is it me?", and the page indicator, from what is wrong and whom it reaches.

Gathers the facts in a few queries and hands them to the pure rules in ``statuspage.reach``.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from statuspage import reach
from statuspage.models import Broker, Component, GPPractice, Incident, Pharmacy, Supplier
from statuspage.reach import Fault, Line
from statuspage.status import ComponentStatus, IncidentStatus
from statuspage.wording import in_nation

S = ComponentStatus


def _served() -> tuple[dict[tuple[int, str], int], dict[tuple[str, str], int]]:
    """Places per (system, nation), and per (nation, side)."""
    by_system: dict[tuple[int, str], int] = {}
    totals: dict[tuple[str, str], int] = {}
    for model, side in ((Pharmacy, reach.PHARMACY), (GPPractice, reach.GP)):
        for system_id, nation, n in model.objects.values_list("system_id", "nation").annotate(n=Count("pk")):
            by_system[(system_id, nation)] = n
            totals[(nation, side)] = totals.get((nation, side), 0) + n
    return by_system, totals


def _open_incidents() -> dict[int, str]:
    """Component id → the address of the newest open incident that covers it (or its group)."""
    covered: dict[int, str] = {}
    for incident in Incident.objects.unresolved().order_by("started_at").prefetch_related("components"):
        for component in incident.components.all():
            covered[component.pk] = incident.get_absolute_url()
    return covered


def faults() -> tuple[list[Fault], dict[tuple[str, str], int]]:
    """Every component not working normally, with whom it serves; and the places in each nation."""
    by_system, totals = _served()
    covered = _open_incidents()
    result = [
        Fault(reach.NATIONAL, c.status, incident=covered.get(c.pk) or covered.get(c.group_id or 0, ""))
        for c in Component.objects.leaves().filter(broker__isnull=True).exclude(status=S.OPERATIONAL)
    ]
    for broker in Broker.objects.select_related("component", "supplier", "site").exclude(
        component__status=S.OPERATIONAL
    ):
        c = broker.component
        side = reach.GP if broker.supplier.kind == Supplier.Kind.GP else reach.PHARMACY
        result.append(
            Fault(
                side,
                c.status,
                nation=broker.nation,
                served=1 if broker.site_id else by_system.get((broker.supplier_id, broker.nation), 0),
                site=f"{broker.site.name}, {broker.site.postcode}" if broker.site_id else "",
                incident=covered.get(c.pk) or covered.get(c.group_id or 0, ""),
            )
        )
    return result, totals


def page_indicator() -> tuple[str, str]:
    return indicator_for(*faults())


def indicator_for(found: list[Fault], totals: dict[tuple[str, str], int]) -> tuple[str, str]:
    return reach.page_indicator(
        found,
        totals,
        Incident.objects.unresolved().values_list("impact", flat=True),
        maintenance_active=Incident.objects.active_maintenance().exists(),
    )


@dataclass
class Banner:
    state: str  # ok, local, checking, problem, recovering or maintenance
    title: str
    lines: list[Line] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)

    @property
    def reassure(self) -> bool:
        """Whether to say what a patient need not do."""
        return self.state in ("local", "checking", "problem", "recovering")


def banner(
    found: list[Fault],
    totals: dict[tuple[str, str], int],
    active_incidents: list[Incident],
    active_maintenance: list[Incident],
) -> Banner:
    lines = reach.lines([f for f in found if f.status != S.UNDER_MAINTENANCE], totals, in_nation)
    wide = [line for line in lines if not line.local]
    # Incidents a sentence already links to are not listed twice.
    linked = {line.incident for line in lines}
    others = [i for i in active_incidents if i.get_absolute_url() not in linked]
    if lines and not wide and not active_incidents and not any(line.published for line in lines):
        return Banner("local", _("Prescriptions are being sent normally to nearly all pharmacies"), lines)
    if any(not line.published for line in wide):
        return Banner("checking", _("We are checking a problem"), lines, others)
    if lines:
        title = lines[0].text.rstrip(".") if len(lines) == 1 else _("Prescriptions are delayed in some places")
        return Banner("problem", title, lines, others)
    if active_incidents:
        if all(i.status == IncidentStatus.MONITORING for i in active_incidents):
            return Banner("recovering", _("Prescriptions are moving again"), incidents=active_incidents)
        return Banner("problem", _("There is a problem sending some prescriptions"), incidents=active_incidents)
    if active_maintenance:
        return Banner("maintenance", _("Planned maintenance is under way"), incidents=active_maintenance)
    return Banner("ok", _("All systems are working"))
