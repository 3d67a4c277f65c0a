"""Changing a component's status: the one place that writes status history."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from statuspage import events
from statuspage.models import Component, StatusChange
from statuspage.status import group_status


@transaction.atomic
def set_component_status(
    component: Component,
    status: str,
    cause: str,
    at: datetime | None = None,
    incident=None,
) -> StatusChange | None:
    """Move a component to ``status``, record why, and roll its group up.

    Returns the history entry, or None when the status did not change (so callers may
    call this on every probe without filling the history with repeats).
    """
    at = at or timezone.now()
    # Re-read under a row lock: the worker and a console user may change it at once.
    component = Component.objects.select_for_update().get(pk=component.pk)
    if component.status == status:
        if cause and component.status_reason != cause:
            Component.objects.filter(pk=component.pk).update(status_reason=cause[:300])
        return None
    change = StatusChange.objects.create(
        component=component,
        at=at,
        previous_status=component.status,
        status=status,
        cause=cause[:300],
        incident=incident,
    )
    events.status_changed.send(StatusChange, change=change)
    component.status = status
    component.status_reason = cause[:300]
    component.save(update_fields=["status", "status_reason", "updated_at"])
    if component.group_id:
        roll_up(component.group, at=at, incident=incident)
    return change


def roll_up(group: Component, at: datetime | None = None, incident=None) -> StatusChange | None:
    """Recompute a group's status from its children."""
    children = list(group.children.select_related("broker").values_list("status", "broker__site"))
    status = group_status(
        (s for s, site in children if site is None),
        (s for s, site in children if site is not None),
    )
    not_working = list(group.children.exclude(status="operational").values_list("name", flat=True)[:3])
    cause = f"Rolled up from {', '.join(not_working)}" if not_working else "All systems in this group are working"
    return set_component_status(group, status, cause, at=at, incident=incident)
