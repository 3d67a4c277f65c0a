"""Incidents and maintenance: opening them and posting updates, each in one transaction."""

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from statuspage import events
from statuspage.models import AffectedComponent, Component, Incident, IncidentUpdate
from statuspage.status import IncidentStatus, MaintenanceStatus
from statuspage.transitions import set_component_status


@transaction.atomic
def open_incident(
    name: str,
    body: str,
    impact: str,
    component_statuses: Mapping[Component, str],
    status: str = IncidentStatus.INVESTIGATING,
    at: datetime | None = None,
    professional_guidance: str = "",
    by=None,
    name_cy: str = "",
    body_cy: str = "",
) -> Incident:
    at = at or timezone.now()
    incident = Incident.objects.create(
        kind=Incident.Kind.INCIDENT,
        name=name,
        name_cy=name_cy,
        status=status,
        impact=impact,
        created_at=at,
        updated_at=at,
        started_at=at,
        professional_guidance=professional_guidance,
    )
    incident.components.set(component_statuses.keys())
    post_update(incident, status, body, component_statuses, at=at, first=True, by=by, body_cy=body_cy)
    return incident


@transaction.atomic
def post_update(
    incident: Incident,
    status: str,
    body: str,
    component_statuses: Mapping[Component, str] | None = None,
    at: datetime | None = None,
    notify: bool = False,
    first: bool = False,
    by=None,
    body_cy: str = "",
) -> IncidentUpdate:
    """Add an update to an incident or maintenance, moving its components as it says.
    It is announced (events.update_published) inside this transaction: subscribers hear of it when it
    is declared, resolved, or maintenance starts (notifications' outbox.kind_for), or when ``notify``
    asks, and the notice is written with it. ``by``: the member
    of staff sending it, whom the two-person rule holds to a second publisher's approval."""
    at = at or timezone.now()
    update = IncidentUpdate.objects.create(
        incident=incident, status=status, body=body, body_cy=body_cy, created_at=at, updated_at=at, display_at=at
    )
    for component, new_status in (component_statuses or {}).items():
        # The old status comes from the locked transition itself, not an earlier unlocked read.
        change = set_component_status(component, new_status, f"{incident.name} ({status})", at=at, incident=incident)
        AffectedComponent.objects.create(
            update=update,
            component=component,
            old_status=change.previous_status if change else new_status,
            new_status=new_status,
        )
    incident.status = status
    incident.updated_at = at
    if status == IncidentStatus.MONITORING and not incident.monitoring_at:
        incident.monitoring_at = at
    if status in (IncidentStatus.RESOLVED, MaintenanceStatus.COMPLETED) and not incident.resolved_at:
        incident.resolved_at = at
    incident.save()
    events.update_published.send(IncidentUpdate, update=update, first=first, notify=notify, by=by)
    return update


@transaction.atomic
def schedule_maintenance(
    name: str,
    body: str,
    components: Iterable[Component],
    scheduled_for: datetime,
    scheduled_until: datetime,
    at: datetime | None = None,
    notify: bool = False,
    by=None,
    professional_guidance: str = "",
    name_cy: str = "",
    body_cy: str = "",
) -> Incident:
    at = at or timezone.now()
    maintenance = Incident.objects.create(
        professional_guidance=professional_guidance,
        kind=Incident.Kind.MAINTENANCE,
        name=name,
        name_cy=name_cy,
        status=MaintenanceStatus.SCHEDULED,
        impact="maintenance",
        created_at=at,
        updated_at=at,
        started_at=scheduled_for,
        scheduled_for=scheduled_for,
        scheduled_until=scheduled_until,
    )
    maintenance.components.set(components)
    post_update(maintenance, MaintenanceStatus.SCHEDULED, body, at=at, notify=notify, by=by, body_cy=body_cy)
    return maintenance
