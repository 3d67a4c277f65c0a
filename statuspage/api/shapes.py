"""Statuspage public API v2 shapes, field for field, so existing clients work unchanged."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from statuspage.models import Component, Incident, IncidentUpdate
from statuspage.status import public_status

LONDON = ZoneInfo("Europe/London")


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(LONDON).isoformat(timespec="milliseconds")


def page(updated_at: datetime | None) -> dict:
    info = settings.STATUS_PAGE
    return {
        "id": info["id"],
        "name": info["name"],
        "url": settings.SITE_URL,
        "time_zone": info["time_zone"],
        "updated_at": iso(updated_at),
    }


def component(c: Component, child_codes: list[str] | None = None) -> dict:
    data = {
        "id": c.code,
        "name": c.name,
        "status": public_status(c.status),
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at),
        "position": c.position,
        "description": c.description or None,
        "showcase": c.showcase,
        "start_date": c.start_date.isoformat() if c.start_date else None,
        "group_id": c.group.code if c.group_id else None,
        "page_id": settings.STATUS_PAGE["id"],
        "group": c.is_group,
        "only_show_if_degraded": c.only_show_if_degraded,
    }
    if c.is_group:
        data["components"] = child_codes or []
    return data


def affected(a) -> dict:
    return {
        "code": a.component.code,
        "name": a.component.name,
        "old_status": public_status(a.old_status),
        "new_status": public_status(a.new_status),
    }


def incident_update(u: IncidentUpdate, incident: Incident) -> dict:
    return {
        "id": u.code,
        "status": u.status,
        "body": u.body,
        "incident_id": incident.code,
        "created_at": iso(u.created_at),
        "updated_at": iso(u.updated_at),
        "display_at": iso(u.display_at),
        "affected_components": [affected(a) for a in u.affected_components.all()],
    }


def incident(i: Incident) -> dict:
    data = {
        "id": i.code,
        "name": i.name,
        "status": i.status,
        "impact": i.impact,
        "created_at": iso(i.created_at),
        "updated_at": iso(i.updated_at),
        "monitoring_at": iso(i.monitoring_at),
        "resolved_at": iso(i.resolved_at),
        "started_at": iso(i.started_at),
        "shortlink": i.shortlink,
        "page_id": settings.STATUS_PAGE["id"],
        "incident_updates": [incident_update(u, i) for u in i.updates.all()],
        "components": [component(c) for c in i.components.all()],
    }
    if i.kind == Incident.Kind.MAINTENANCE:
        data["scheduled_for"] = iso(i.scheduled_for)
        data["scheduled_until"] = iso(i.scheduled_until)
    return data
