"""Statuspage-compatible webhook payloads: a ``component_update`` with its ``component``, or an
``incident`` in the same shape as ``/api/v2/incidents.json``, each with ``meta`` and ``page``.

The body is built once per event; only ``meta.unsubscribe`` differs between endpoints.
"""

import json

from django.conf import settings
from django.utils import timezone

from statuspage.api import shapes
from statuspage.board import page_indicator
from statuspage.models import Incident, StatusChange
from statuspage.status import public_status


def _page() -> dict:
    level, description = page_indicator()
    return {"id": settings.STATUS_PAGE["id"], "status_indicator": level, "status_description": description}


def component_update(change: StatusChange) -> dict:
    component = change.component
    return {
        "page": _page(),
        "component_update": {
            "created_at": shapes.iso(change.at),
            "new_status": public_status(change.status),
            "old_status": public_status(change.previous_status or "operational"),
            "id": f"cu{change.pk}",
            "component_id": component.code,
        },
        "component": {
            "created_at": shapes.iso(component.created_at),
            "id": component.code,
            "name": component.name,
            # The change is recorded before the component row is saved: its status is the change's.
            "status": public_status(change.status),
        },
    }


def incident(item: Incident) -> dict:
    return {"page": _page(), "incident": shapes.incident(item)}


def encode(payload: dict, unsubscribe_url: str) -> str:
    meta = {
        "unsubscribe": unsubscribe_url,
        "documentation": settings.SITE_URL + "/webhooks/",
        "generated_at": shapes.iso(timezone.now()),
    }
    return json.dumps({"meta": meta, **payload}, ensure_ascii=False, separators=(",", ":"))
