"""Writing a delivery for each endpoint that wants an event, inside the transaction that made it.

Like the patients' notices, a delivery is a row written with the change (an outbox): the
worker is kicked after commit (listeners.py), and the periodic retry finds it if the kick was lost.
"""

import uuid

from django.db.models import Q
from django.utils import timezone

from integrations import endpoints, payloads
from integrations.models import Delivery, Endpoint
from statuspage.models import Incident, StatusChange
from statuspage.status import public_status


def _listening(component_ids: set[int]):
    """Active endpoints that follow every component, or one of these."""
    return (
        Endpoint.objects.filter(state=Endpoint.State.ACTIVE)
        .filter(Q(components__isnull=True) | Q(components__in=component_ids))
        .distinct()
    )


def _write(event: str, listening, build) -> list[int]:
    """The deliveries written, by id."""
    listening = list(listening)
    if not listening:
        return []
    now, event_id, payload = timezone.now(), uuid.uuid4().hex, build()
    rows = [
        Delivery(
            endpoint=endpoint,
            event_id=event_id,
            event=event,
            body=payloads.encode(payload, endpoints.unsubscribe_url(endpoint)),
            created_at=now,
            next_attempt_at=now,
        )
        for endpoint in listening
    ]
    return [d.pk for d in Delivery.objects.bulk_create(rows)]


def component_changed(change: StatusChange) -> list[int]:
    """Integrators hear of a change the public can see: not_reporting to slower-than-usual and
    back is one public status, so it is no event."""
    if public_status(change.previous_status or "operational") == public_status(change.status):
        return []
    component = change.component
    ids = {component.pk} | ({component.group_id} if component.group_id else set())
    return _write("component_update", _listening(ids), lambda: payloads.component_update(change))


def incident_updated(incident: Incident) -> list[int]:
    components = list(incident.components.all())
    ids = {c.pk for c in components} | {c.group_id for c in components if c.group_id}

    def build() -> dict:
        # Read afresh: the caller's object may hold updates prefetched before this one.
        item = Incident.objects.prefetch_related("components__group", "updates__affected_components__component").get(
            pk=incident.pk
        )
        return payloads.incident(item)

    return _write("incident", _listening(ids), build)
