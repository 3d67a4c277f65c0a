"""What the console hears from the status domain: publications nobody in the console made (the
holding notice, maintenance starting and finishing) go into the audit trail with the system as
the actor, so the trail tells the whole story of an incident."""

from django.utils import timezone

from console.models import AuditEntry
from statuspage.models import IncidentUpdate

SYSTEM = "EPS Status (automatic)"


def audit_automatic_publication(sender, update: IncidentUpdate, first: bool, by=None, **_) -> None:
    if by is not None:
        return  # a member of staff: their own service wrote the entry
    incident = update.incident
    AuditEntry.objects.create(
        at=update.created_at or timezone.now(),
        username=SYSTEM,
        action="incident.auto_open" if first else "incident.auto_update",
        object_type="incident",
        object_id=str(incident.pk),
        summary=(f"{'Opened' if first else 'Updated'} automatically: {update.get_status_display()}, “{incident.name}”")[
            :300
        ],
        after={"status": update.status, "body": update.body},
        via="system",
        incident=incident,
    )
