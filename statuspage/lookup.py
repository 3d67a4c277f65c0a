"""Finding a pharmacy and the route its prescriptions take, then asking ``advice`` about it.

Every answer (page, text, phone line, API) is built by ``for_pharmacy`` or ``for_supplier``.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext as _

from statuspage.advice import Advice, Leg, advise
from statuspage.models import Broker, Component, Incident, Nation, Pharmacy, Supplier
from statuspage.models.places import normalise_postcode


@dataclass
class Answer:
    advice: Advice
    nation: str
    supplier: Supplier
    pharmacy: Pharmacy | None
    broker: Broker | None
    route: list[Component]
    incident: Incident | None

    @property
    def last_probe_at(self) -> datetime | None:
        return self.broker.last_probe_at if self.broker else None


class PerSite(Exception):
    """The supplier has a broker at each pharmacy: only a pharmacy has a route."""


# A whole UK postcode, with or without its space: its district is the part before the last three characters.
FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?[0-9][A-Z]{2}$")


def find_pharmacies(query: str, limit: int = 10) -> list[Pharmacy]:
    """By ODS code, postcode (with or without the space, or just its start) or part of the name.

    A home postcode rarely is a pharmacy's: a whole postcode that finds nothing itself finds the
    pharmacies in its district (LS3 1AB finds those in LS3, never LS31)."""
    text = " ".join(query.split()).upper()
    if len(text) < 2:
        return []
    compact = text.replace(" ", "")
    found = Pharmacy.objects.annotate(compact=Replace("postcode", Value(" "), Value(""))).filter(
        Q(ods_code=compact) | Q(compact__startswith=compact) | Q(name__icontains=text)
    )
    result = list(found.select_related("system").order_by("name")[:limit])
    if not result and (district := FULL_POSTCODE.match(text)):
        nearby = Pharmacy.objects.filter(postcode__startswith=district.group(1) + " ")
        result = list(nearby.select_related("system").order_by("name")[:limit])
    return result


def pharmacies_at(postcode: str) -> list[Pharmacy]:
    return list(Pharmacy.objects.filter(postcode=normalise_postcode(postcode)).select_related("system")[:10])


def national_services() -> list[Component]:
    """The services every prescription passes through: leaves that are not a supplier's broker."""
    return list(Component.objects.leaves().filter(broker__isnull=True).order_by("position", "pk"))


def _incident(route: list[Component]) -> Incident | None:
    ids = {c.pk for c in route} | {c.group_id for c in route if c.group_id}
    open_now = Incident.objects.unresolved() | Incident.objects.active_maintenance()
    return open_now.filter(components__in=ids).order_by("-started_at").distinct().first()


def _answer(place: str, supplier: Supplier, nation: str, broker: Broker | None, pharmacy=None) -> Answer:
    national = national_services()
    route = national + ([broker.component] if broker else [])
    legs = [Leg(c.name, c.public_status, national=True) for c in national]
    if broker:
        legs.append(Leg(supplier.name, broker.component.public_status))
    return Answer(
        advice=advise(place, supplier.name, legs, nation),
        nation=nation,
        supplier=supplier,
        pharmacy=pharmacy,
        broker=broker,
        route=route,
        incident=_incident(route),
    )


def for_pharmacy(pharmacy: Pharmacy) -> Answer:
    broker = pharmacy.broker()
    return _answer(pharmacy.name, pharmacy.system, pharmacy.nation, broker, pharmacy)


def for_supplier(supplier: Supplier, nation: str) -> Answer:
    if supplier.topology == Supplier.Topology.PER_SITE:
        raise PerSite(supplier.name)
    broker = (
        Broker.objects.filter(supplier=supplier, nation=nation, site__isnull=True).select_related("component").first()
    )
    place = (
        _("pharmacies in %(nation)s") if supplier.kind == Supplier.Kind.PHARMACY else _("GP practices in %(nation)s")
    )
    return _answer(place % {"nation": Nation(nation).label}, supplier, nation, broker)
