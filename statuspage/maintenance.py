"""Scheduled maintenance starts and completes on its own at the times ops set."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext, gettext_noop, override

from statuspage.models import Incident
from statuspage.publishing import post_update
from statuspage.status import ComponentStatus, MaintenanceStatus

STARTED = gettext_noop("Planned work has started. Prescriptions may be delayed until it finishes; they are safe.")
COMPLETED = gettext_noop("Planned work has finished. Everything is working normally.")


def _english_and_welsh(text: str) -> tuple[str, str]:
    with override("en"):
        english = gettext(text)
    with override("cy"):
        return english, gettext(text)


def advance(now: datetime) -> int:
    """Start what is due and complete what has ended. Safe to run twice, or on two schedulers:
    each maintenance is moved under a row lock, only from the status it was read in."""
    moved = 0
    due = [
        (MaintenanceStatus.SCHEDULED, MaintenanceStatus.IN_PROGRESS, {"scheduled_for__lte": now}),
        (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.COMPLETED, {"scheduled_until__lte": now}),
        (MaintenanceStatus.VERIFYING, MaintenanceStatus.COMPLETED, {"scheduled_until__lte": now}),
    ]
    for current, new, when in due:
        for pk in Incident.objects.maintenances().filter(status=current, **when).values_list("pk", flat=True):
            with transaction.atomic():
                item = Incident.objects.select_for_update().filter(pk=pk, status=current).first()
                if item is None:
                    continue
                if new == MaintenanceStatus.IN_PROGRESS:
                    body, component_status = STARTED, ComponentStatus.UNDER_MAINTENANCE
                else:
                    body, component_status = COMPLETED, ComponentStatus.OPERATIONAL
                english, welsh = _english_and_welsh(body)
                statuses = {c: component_status for c in item.components.all()}
                post_update(item, new, english, statuses, at=now, body_cy=welsh)
                moved += 1
    return moved
