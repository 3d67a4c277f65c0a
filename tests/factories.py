"""A small, readable world for tests that need only a few rows."""

from statuspage.models import Component, Supplier


def group(name: str = "Pharmacy systems in England", slug: str = "pharmacy-england") -> Component:
    return Component.objects.create(name=name, slug=slug, is_group=True)


def component(name: str = "Pharmacy Manager in England", slug: str = "pm-england", **kwargs) -> Component:
    return Component.objects.create(name=name, slug=slug, **kwargs)


def supplier(slug: str = "cegedim-pharmacy-manager", topology: str = "central", kind: str = "pharmacy") -> Supplier:
    return Supplier.objects.create(vendor="Cegedim", name=f"System {slug}", slug=slug, kind=kind, topology=topology)


def pharmacy(system: Supplier, ods_code: str, name: str, postcode: str, nation: str = "england", address: str = ""):
    from statuspage.models import Pharmacy

    return Pharmacy.objects.create(
        ods_code=ods_code,
        name=name,
        address=address or f"1 {name} Street",
        postcode=postcode,
        nation=nation,
        system=system,
    )


def probe(broker, at, verdict: str = "operational", reason: str = "", **readings):
    """A stored probe received at ``at``, with whatever readings the test needs."""
    from statuspage.models import Probe

    return Probe.objects.create(
        broker=broker,
        source="push",
        received_at=at,
        observed_at=at,
        reported="pass",
        verdict=verdict,
        reason=reason,
        **readings,
    )
