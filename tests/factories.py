"""A small, readable world for tests that need only a few rows."""

from statuspage.models import Component, Supplier


def group(name: str = "Pharmacy systems in England", slug: str = "pharmacy-england") -> Component:
    return Component.objects.create(name=name, slug=slug, is_group=True)


def component(name: str = "Pharmacy Manager in England", slug: str = "pm-england", **kwargs) -> Component:
    return Component.objects.create(name=name, slug=slug, **kwargs)


def supplier(slug: str = "cegedim-pharmacy-manager", topology: str = "central", kind: str = "pharmacy") -> Supplier:
    return Supplier.objects.create(vendor="Cegedim", name=f"System {slug}", slug=slug, kind=kind, topology=topology)
