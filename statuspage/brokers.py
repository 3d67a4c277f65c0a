"""Creating the components that stand for suppliers' brokers."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from statuspage.models import Broker, Component, Nation, Pharmacy, Supplier


def english_name(nation: str) -> str:
    """Components are named and slugged in English, whatever language a request was in."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(Nation(nation).label)


def nation_group(kind: str, nation: str) -> Component:
    """The group that national brokers of one kind roll up into, e.g. 'Pharmacy systems in Wales'."""
    label = english_name(nation)
    noun = "Pharmacy systems" if kind == Supplier.Kind.PHARMACY else "GP practice systems"
    base = 10 if kind == Supplier.Kind.PHARMACY else 20
    position = base + list(Nation.values).index(nation)
    group, _ = Component.objects.get_or_create(
        slug=slugify(f"{noun} {label}"),
        defaults={
            "name": f"{noun} in {label}",
            "is_group": True,
            "position": position,
            "description": (
                f"The systems that receive prescriptions at pharmacies in {label}."
                if kind == Supplier.Kind.PHARMACY
                else f"The systems that send prescriptions from GP practices in {label}."
            ),
        },
    )
    return group


@transaction.atomic
def central_broker(supplier: Supplier, nation: str) -> Broker:
    existing = Broker.objects.filter(supplier=supplier, nation=nation, site__isnull=True).first()
    if existing:
        return existing
    label = english_name(nation)
    direction = (
        f"Sends prescriptions from NHS Spine to pharmacies in {label} that use {supplier.name}."
        if supplier.kind == Supplier.Kind.PHARMACY
        else f"Sends prescriptions from GP practices in {label} that use {supplier.name} to NHS Spine."
    )
    component = Component.objects.create(
        name=f"{supplier.name} ({supplier.vendor}) in {label}",
        slug=slugify(f"{supplier.slug} {label}"),
        description=direction,
        group=nation_group(supplier.kind, nation),
        showcase=False,
        position=100,
    )
    return Broker.objects.create(component=component, supplier=supplier, nation=nation)


@transaction.atomic
def site_broker(pharmacy: Pharmacy) -> Broker:
    """The broker at one pharmacy, for suppliers that run one per site.

    Shown on the public page only while it has a problem: one shop's broker is not
    national news, but its patients still need to find it.
    """
    existing = Broker.objects.filter(site=pharmacy).first()
    if existing:
        return existing
    supplier = pharmacy.system
    component = Component.objects.create(
        name=f"{supplier.name} ({supplier.vendor}) at {pharmacy.name}, {pharmacy.postcode}",
        slug=slugify(f"{supplier.slug} {pharmacy.ods_code}"),
        description=f"Receives prescriptions at {pharmacy.name} ({pharmacy.ods_code}).",
        group=nation_group(supplier.kind, pharmacy.nation),
        showcase=False,
        only_show_if_degraded=True,
        position=200,
    )
    return Broker.objects.create(component=component, supplier=supplier, nation=pharmacy.nation, site=pharmacy)
