"""Builds the demo: the national picture, synthetic places and 90 days of history."""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from demo import catalogue as cat
from statuspage import brokers
from statuspage.models import Broker, Component, GPPractice, Pharmacy, Supplier
from statuspage.publishing import open_incident, post_update, schedule_maintenance
from statuspage.status import ComponentStatus as S
from statuspage.status import Impact, IncidentStatus, MaintenanceStatus

DEMO_PHARMACY = "FW844"


@transaction.atomic
def build(now: datetime | None = None, seed: int = 2016) -> dict[str, int]:
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    rng = random.Random(seed)
    national_services()
    suppliers = {
        slug: _supplier(vendor, name, slug, kind, topology)
        for vendor, name, slug, kind, topology, _, _ in cat.SUPPLIERS
    }
    for _, _, slug, _, topology, nations, _ in cat.SUPPLIERS:
        if topology == Supplier.Topology.CENTRAL:
            for nation in nations:
                brokers.central_broker(suppliers[slug], nation)
    places(rng, suppliers)
    # Everything has existed since before the uptime window, so the bars start full.
    Component.objects.update(created_at=now - timedelta(days=120))
    history(now, rng)
    return {
        "components": Component.objects.count(),
        "brokers": Broker.objects.count(),
        "pharmacies": Pharmacy.objects.count(),
        "practices": GPPractice.objects.count(),
    }


def national_services() -> None:
    group = Component.objects.create(
        name="National services (NHS Spine)",
        slug="national-services",
        is_group=True,
        position=1,
        description="The national services every electronic prescription passes through.",
    )
    for position, (name, slug, description) in enumerate(cat.NATIONAL_SERVICES):
        Component.objects.create(name=name, slug=slug, description=description, group=group, position=position)


def _supplier(vendor: str, name: str, slug: str, kind: str, topology: str) -> Supplier:
    return Supplier.objects.create(vendor=vendor, name=name, slug=slug, kind=kind, topology=topology)


def _postcode(rng: random.Random, district: str) -> str:
    return f"{district} {rng.randint(1, 9)}{rng.choice(cat.INWARD_LETTERS)}{rng.choice(cat.INWARD_LETTERS)}"


def _place(rng: random.Random, nation: str, patterns: list[str]) -> dict:
    district, town = rng.choice(cat.TOWNS[nation])
    street = rng.choice(cat.STREETS)
    return {
        "name": rng.choice(patterns).format(street=street, town=town),
        "address": f"{rng.randint(1, 240)} {street}, {town}",
        "postcode": _postcode(rng, district),
        "nation": nation,
    }


def _systems_in(nation: str, kind: str) -> tuple[list[str], list[int]]:
    rows = [(slug, share) for _, _, slug, k, _, nations, share in cat.SUPPLIERS if k == kind and nation in nations]
    return [slug for slug, _ in rows], [share for _, share in rows]


def places(rng: random.Random, suppliers: dict[str, Supplier]) -> None:
    used: set[str] = {DEMO_PHARMACY}
    pharmacies = [
        Pharmacy(
            ods_code=DEMO_PHARMACY,
            name="Kirkstall Road Pharmacy",
            address="12 Kirkstall Road, Leeds",
            postcode="LS3 1HR",
            nation=cat.E,
            system=suppliers["cegedim-pharmacy-manager"],
        )
    ]
    for nation, count in cat.PHARMACY_COUNT.items():
        slugs, weights = _systems_in(nation, Supplier.Kind.PHARMACY)
        for _ in range(count - (1 if nation == cat.E else 0)):
            code = _unique(rng, used, lambda: f"F{rng.choice('ABCDEFGHJKLMNPQRSTVWXY')}{rng.randint(100, 999)}")
            system = suppliers[rng.choices(slugs, weights)[0]]
            pharmacies.append(Pharmacy(ods_code=code, system=system, **_place(rng, nation, cat.PHARMACY_NAMES)))
    Pharmacy.objects.bulk_create(pharmacies)
    for pharmacy in Pharmacy.objects.filter(system__topology=Supplier.Topology.PER_SITE).select_related("system"):
        brokers.site_broker(pharmacy)

    practices = []
    for nation, count in cat.PRACTICE_COUNT.items():
        slugs, weights = _systems_in(nation, Supplier.Kind.GP)
        prefix = cat.PRACTICE_PREFIX[nation]
        for _ in range(count):
            code = _unique(rng, used, lambda p=prefix: f"{rng.choice(p)}{rng.randint(10000, 99999)}")
            system = suppliers[rng.choices(slugs, weights)[0]]
            practices.append(GPPractice(ods_code=code, system=system, **_place(rng, nation, cat.PRACTICE_NAMES)))
    GPPractice.objects.bulk_create(practices)


def _unique(rng: random.Random, used: set[str], make) -> str:
    while (code := make()) in used:
        pass
    used.add(code)
    return code


def _at(now: datetime, days_ago: int, hour: int, minute: int = 0) -> datetime:
    local = timezone.localtime(now) - timedelta(days=days_ago)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _outage(name, impact, component, steps, body_first) -> None:
    """An incident whose updates move one component through ``steps`` of (time, status, new status, body)."""
    first_at, first_status, first_component_status = steps[0][:3]
    incident = open_incident(
        name, body_first, impact, {component: first_component_status}, status=first_status, at=first_at
    )
    for at, status, component_status, body in steps[1:]:
        post_update(incident, status, body, {component: component_status} if component_status else None, at=at)


def history(now: datetime, rng: random.Random) -> None:
    c = {x.slug: x for x in Component.objects.all()}
    cegedim_england = c["cegedim-pharmacy-manager-england"]

    # June 2016, replayed: one supplier's broker fails in England for two days. The other
    # nations use their own brokers and carry on.
    start = _at(now, 47, 8, 10)
    _outage(
        "Prescriptions not reaching pharmacies in England that use Pharmacy Manager",
        Impact.CRITICAL,
        cegedim_england,
        [
            (start, IncidentStatus.INVESTIGATING, S.MAJOR_OUTAGE, ""),
            (
                start + timedelta(hours=2),
                IncidentStatus.IDENTIFIED,
                None,
                "Cegedim's message broker for England has failed. Prescriptions are held safely on NHS Spine and "
                "will be delivered when it is fixed. Pharmacies can see prescriptions in the prescription tracker; "
                "GP practices can print a paper prescription for urgent items. "
                "You do not need to contact your GP practice.",
            ),
            (
                start + timedelta(days=2, hours=3),
                IncidentStatus.MONITORING,
                S.DEGRADED_PERFORMANCE,
                "The broker is working again and the backlog is being delivered. Some prescriptions may arrive later "
                "than usual today.",
            ),
            (
                start + timedelta(days=2, hours=9),
                IncidentStatus.RESOLVED,
                S.OPERATIONAL,
                "All delayed prescriptions have been delivered. This demonstration replays the June 2016 outage.",
            ),
        ],
        "We know about a problem sending prescriptions to pharmacies in England that use Pharmacy Manager. "
        "Pharmacies in Scotland, Wales and Northern Ireland are not affected. Your prescription is safe. "
        "You do not need to contact your GP practice.",
    )

    start = _at(now, 66, 14, 5)
    _outage(
        "Slow responses from NHS Spine",
        Impact.MAJOR,
        c["eps-spine"],
        [
            (start, IncidentStatus.INVESTIGATING, S.PARTIAL_OUTAGE, ""),
            (
                start + timedelta(minutes=20),
                IncidentStatus.MONITORING,
                S.DEGRADED_PERFORMANCE,
                "A fix has been applied. Prescriptions are flowing again and we are watching closely.",
            ),
            (start + timedelta(minutes=35), IncidentStatus.RESOLVED, S.OPERATIONAL, "Spine is working normally."),
        ],
        "Some prescriptions are taking longer than usual to reach pharmacies. You do not need to contact your "
        "GP practice.",
    )

    start = _at(now, 21, 10, 40)
    _outage(
        "Prescriptions slower to reach pharmacies in Wales that use ProScript Connect",
        Impact.MINOR,
        c["emis-proscript-connect-wales"],
        [
            (start, IncidentStatus.INVESTIGATING, S.DEGRADED_PERFORMANCE, ""),
            (
                start + timedelta(minutes=50),
                IncidentStatus.RESOLVED,
                S.OPERATIONAL,
                "Prescriptions are arriving normally again.",
            ),
        ],
        "Prescriptions are taking longer than usual to arrive. Your prescription is safe.",
    )

    start = _at(now, 11, 9, 15)
    _outage(
        "Delays sending prescriptions from GP practices in England that use SystmOne",
        Impact.MINOR,
        c["tpp-systmone-england"],
        [
            (start, IncidentStatus.INVESTIGATING, S.DEGRADED_PERFORMANCE, ""),
            (
                start + timedelta(minutes=80),
                IncidentStatus.RESOLVED,
                S.OPERATIONAL,
                "GP practices are sending prescriptions normally again.",
            ),
        ],
        "Prescriptions from some GP practices are taking longer than usual to be sent. You do not need to "
        "contact your GP practice.",
    )

    site = Broker.objects.filter(site__isnull=False).select_related("site", "component").order_by("site__ods_code")
    site = rng.choice(list(site))
    start = _at(now, 4, 13, 30)
    _outage(
        f"Prescriptions not reaching {site.site.name}, {site.site.postcode}",
        Impact.MINOR,
        site.component,
        [
            (start, IncidentStatus.INVESTIGATING, S.MAJOR_OUTAGE, ""),
            (
                start + timedelta(hours=3),
                IncidentStatus.RESOLVED,
                S.OPERATIONAL,
                "The pharmacy's system is receiving prescriptions again.",
            ),
        ],
        "The system at this pharmacy is not receiving prescriptions. They are held safely and will arrive when "
        "it is fixed.",
    )

    spine = [c["eps-spine"], c["prescription-tracker"]]
    begin = _at(now, 30, 1, 0)
    done = schedule_maintenance(
        "Planned NHS Spine upgrade",
        "Prescriptions sent during this time will be delivered when it ends.",
        spine,
        begin,
        begin + timedelta(hours=2),
        at=begin - timedelta(days=7),
    )
    post_update(
        done,
        MaintenanceStatus.IN_PROGRESS,
        "The upgrade has started.",
        {x: S.UNDER_MAINTENANCE for x in spine},
        at=begin,
    )
    post_update(
        done,
        MaintenanceStatus.COMPLETED,
        "The upgrade is complete.",
        {x: S.OPERATIONAL for x in spine},
        at=begin + timedelta(hours=1, minutes=40),
    )

    ahead = _at(now, -6, 1, 0)
    schedule_maintenance(
        "Planned NHS Spine maintenance",
        "Prescriptions may take up to 2 hours longer to reach pharmacies. Nothing is lost. "
        "You do not need to contact your GP practice.",
        spine,
        ahead,
        ahead + timedelta(hours=2),
        at=now - timedelta(days=2),
    )
