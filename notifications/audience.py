"""Who a notice reaches. ``affected`` reads what a notice is about; ``reach`` (pure) says who
that reaches; ``subscribers`` turns it into a query.

A supplier's central broker failing in a nation reaches people following a pharmacy on that
system in that nation, people following that nation, and people following everything. One
pharmacy's own broker reaches only that pharmacy's followers: a national alert for one shop's
glitch would teach people to ignore the texts. A national service (Spine) reaches everyone.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from notifications.models import Subscriber, Subscription
from statuspage.models import Broker, Component, Nation


@dataclass(frozen=True)
class Affected:
    """What a notice is about, as far as reach goes."""

    supplier_id: int | None = None  # None: a national service, not a supplier's broker
    nation: str = ""
    site_id: int | None = None  # a pharmacy's own broker


@dataclass(frozen=True)
class Reach:
    routes: frozenset[tuple[int, str]] = frozenset()  # (supplier, nation): its pharmacies there
    sites: frozenset[int] = frozenset()  # single pharmacies
    nations: frozenset[str] = frozenset()  # whose followers hear of it
    whole_nations: frozenset[str] = frozenset()  # every pharmacy there

    @property
    def anyone(self) -> bool:
        return bool(self.routes or self.sites or self.nations)


def reach(affected: Iterable[Affected]) -> Reach:
    routes, sites, nations, whole = set(), set(), set(), set()
    for a in affected:
        if a.site_id is not None:
            sites.add(a.site_id)
        elif a.supplier_id is not None:
            routes.add((a.supplier_id, a.nation))
            nations.add(a.nation)
        else:
            whole.update(Nation.values)
            nations.update(Nation.values)
    return Reach(frozenset(routes), frozenset(sites), frozenset(nations), frozenset(whole))


def follows(r: Reach) -> Q:
    """The subscriptions a reach touches."""
    if not r.anyone:
        return Q(pk__in=[])
    q = Q(scope=Subscription.Scope.PHARMACY, pharmacy_id__in=sorted(r.sites))
    if r.whole_nations:
        q |= Q(scope=Subscription.Scope.PHARMACY, pharmacy__nation__in=sorted(r.whole_nations))
    for supplier_id, nation in sorted(r.routes):
        q |= Q(scope=Subscription.Scope.PHARMACY, pharmacy__system_id=supplier_id, pharmacy__nation=nation)
    if r.nations:
        q |= Q(scope=Subscription.Scope.NATION, nation__in=sorted(r.nations))
        q |= Q(scope=Subscription.Scope.ALL)
    return q


def subscribers(r: Reach, window: tuple[int, int] = (0, 2**63 - 1)) -> QuerySet:
    """Active subscribers reached, each once, with ids in ``window``."""
    low, high = window
    following = Subscription.objects.filter(
        follows(r), confirmed_at__isnull=False, subscriber_id__gte=low, subscriber_id__lte=high
    ).values("subscriber_id")
    return Subscriber.objects.filter(state=Subscriber.State.ACTIVE, pk__in=following, pk__gte=low, pk__lte=high)


def brokers_of(components: Iterable[Component]) -> list[Broker]:
    """The brokers behind these components: their own, and a group's children's."""
    ids = [c.pk for c in components]
    return list(
        Broker.objects.filter(Q(component_id__in=ids) | Q(component__group_id__in=ids))
        .select_related("supplier", "site")
        .order_by("component_id")
    )


def affected(components: Iterable[Component]) -> list[Affected]:
    components = list(components)
    brokers = brokers_of(components)
    with_broker = {b.component_id for b in brokers}
    national = [c for c in components if not c.is_group and c.pk not in with_broker]
    return [Affected(b.supplier_id, b.nation, b.site_id) for b in brokers] + [Affected() for _ in national]
