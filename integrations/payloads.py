"""Statuspage-compatible webhook payloads: a ``component_update`` with its ``component``, or an
``incident`` in the same shape as ``/api/v2/incidents.json``, each with ``meta`` and ``page``."""

import json

from django.conf import settings
from django.utils import timezone

from statuspage.api import shapes
from statuspage.board import page_indicator
from statuspage.models import Incident, StatusChange
from statuspage.status import public_status


def _envelope(manage_url: str) -> dict:
    level, description = page_indicator()
    return {
        "meta": {
            "unsubscribe": manage_url,
            "documentation": settings.SITE_URL + "/webhooks/",
            "generated_at": shapes.iso(timezone.now()),
        },
        "page": {
            "id": settings.STATUS_PAGE["id"],
            "status_indicator": level,
            "status_description": description,
        },
    }


def component_update(change: StatusChange, manage_url: str) -> dict:
    component = change.component
    return {
        **_envelope(manage_url),
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
            "status": public_status(component.status),
        },
    }


def incident(item: Incident, manage_url: str) -> dict:
    return {**_envelope(manage_url), "incident": shapes.incident(item)}


def encode(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
