"""What the public status page shows, gathered in a few queries."""

__all__ = ["board", "delays", "page_indicator", "rows", "uptime_for", "with_updates"]

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from statuspage import backlog
from statuspage.banner import banner, faults, indicator_for, page_indicator
from statuspage.models import Broker, Component, Incident, IncidentUpdate, Probe, StatusChange
from statuspage.status import ComponentStatus
from statuspage.uptime import HISTORY_DAYS, Day, daily_uptime, overall_uptime
from statuspage.wording import who

RECENT_DAYS = 14


@dataclass
class Row:
    component: Component
    children: list["Row"] = field(default_factory=list)
    days: list[Day] | None = None

    @property
    def uptime(self) -> float | None:
        return overall_uptime(self.days) if self.days else None


def uptime_for(components: list[Component], now: datetime) -> dict[int, list[Day]]:
    """90 days of daily uptime for each component, from its status history."""
    window_start = now - timedelta(days=HISTORY_DAYS + 1)
    changes: dict[int, list[tuple[datetime, str, str]]] = {c.pk: [] for c in components}
    for component_id, at, status, previous in StatusChange.objects.filter(
        component__in=components, at__gte=window_start, at__lte=now
    ).values_list("component_id", "at", "status", "previous_status"):
        changes[component_id].append((at, status, previous))
    result = {}
    for c in components:
        history = changes[c.pk]
        # With no change in the window, the current status held throughout.
        initial = (history[0][2] or ComponentStatus.OPERATIONAL) if history else c.status
        result[c.pk] = daily_uptime(
            [(at, status) for at, status, _ in history],
            initial_status=initial,
            created_at=max(c.created_at, window_start),
            now=now,
            days=HISTORY_DAYS,
        )
    return result


def with_updates(queryset):
    return queryset.prefetch_related(
        "components",
        Prefetch("updates", queryset=IncidentUpdate.objects.prefetch_related("affected_components__component")),
    )


def rows(now: datetime) -> list[Row]:
    top = list(
        Component.objects.top_level().prefetch_related(
            Prefetch("children", queryset=Component.objects.select_related("broker"))
        )
    )
    visible = {
        c.pk: [
            child
            for child in c.children.all()
            if not child.only_show_if_degraded or child.public_status != ComponentStatus.OPERATIONAL
        ]
        for c in top
    }
    # Statuspage's `showcase` decides which components show an uptime bar.
    showcased = [c for c in top if c.showcase] + [ch for kids in visible.values() for ch in kids if ch.showcase]
    days = uptime_for(showcased, now)
    return [
        Row(
            component=c,
            children=[Row(component=child, days=days.get(child.pk)) for child in visible[c.pk]],
            days=days.get(c.pk),
        )
        for c in top
    ]


def delays(now: datetime, components: list[Component] | None = None) -> list[tuple[Component, str]]:
    """Backlog notices for brokers that are not working normally, from their last few minutes of probes."""

    brokers = Broker.objects.select_related("component", "supplier", "site").exclude(
        component__status__in=[ComponentStatus.OPERATIONAL, ComponentStatus.UNDER_MAINTENANCE]
    )
    if components is not None:
        brokers = brokers.filter(component__in=components)
    result = []
    for broker in brokers:
        samples = [
            backlog.Sample(at, depth, oldest)
            for at, depth, oldest in Probe.objects.filter(
                broker=broker, received_at__gte=now - backlog.DRAIN_WINDOW - timedelta(minutes=1)
            )
            .order_by("received_at")
            .values_list("received_at", "queue_depth", "oldest_message_age")
        ]
        if text := backlog.notice(who(broker), samples):
            result.append((broker.component, text))
    return result


def board(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    found, totals = faults()
    level, description = indicator_for(found, totals)
    active_incidents = list(with_updates(Incident.objects.unresolved()))
    active_maintenance = list(with_updates(Incident.objects.active_maintenance()))
    return {
        "now": now,
        "indicator": level,
        "indicator_description": description,
        "rows": rows(now),
        "delays": delays(now),
        "banner": banner(found, totals, active_incidents, active_maintenance),
        "active_incidents": active_incidents,
        "active_maintenance": active_maintenance,
        "upcoming_maintenance": list(
            with_updates(Incident.objects.upcoming().filter(scheduled_for__gte=now).order_by("scheduled_for"))
        ),
        "recent_incidents": list(
            Incident.objects.incidents()
            .exclude(pk__in=Incident.objects.unresolved())
            .filter(started_at__gte=now - timedelta(days=RECENT_DAYS))
        ),
    }
