"""JSON Schemas of the Statuspage public API v2, field for field.

``additionalProperties: false`` and every field required: a field that appears,
disappears or changes type breaks these tests before it breaks a client.
"""

DATETIME = {"type": "string", "format": "date-time", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$"}
NULLABLE_DATETIME = {"anyOf": [DATETIME, {"type": "null"}]}
COMPONENT_STATUS = {
    "enum": ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"]
}
ID = {"type": "string", "pattern": "^[a-z0-9]{12}$"}


def strict(properties: dict, optional: tuple = ()) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": False,
    }


PAGE = strict(
    {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "time_zone": {"const": "Europe/London"},
        "updated_at": NULLABLE_DATETIME,
    }
)

STATUS = strict(
    {
        "indicator": {"enum": ["none", "minor", "major", "critical", "maintenance"]},
        "description": {"type": "string"},
    }
)

COMPONENT = strict(
    {
        "id": ID,
        "name": {"type": "string"},
        "status": COMPONENT_STATUS,
        "created_at": DATETIME,
        "updated_at": DATETIME,
        "position": {"type": "integer"},
        "description": {"type": ["string", "null"]},
        "showcase": {"type": "boolean"},
        "start_date": {"type": ["string", "null"]},
        "group_id": {"anyOf": [ID, {"type": "null"}]},
        "page_id": {"type": "string"},
        "group": {"type": "boolean"},
        "only_show_if_degraded": {"type": "boolean"},
        "components": {"type": "array", "items": ID},
    },
    optional=("components",),
)

AFFECTED = strict(
    {
        "code": ID,
        "name": {"type": "string"},
        "old_status": COMPONENT_STATUS,
        "new_status": COMPONENT_STATUS,
    }
)

UPDATE = strict(
    {
        "id": ID,
        "status": {"type": "string"},
        "body": {"type": "string"},
        "incident_id": ID,
        "created_at": DATETIME,
        "updated_at": DATETIME,
        "display_at": DATETIME,
        "affected_components": {"type": "array", "items": AFFECTED},
    }
)

_INCIDENT_FIELDS = {
    "id": ID,
    "name": {"type": "string"},
    "status": {"enum": ["investigating", "identified", "monitoring", "resolved", "postmortem"]},
    "impact": {"enum": ["none", "minor", "major", "critical"]},
    "created_at": DATETIME,
    "updated_at": DATETIME,
    "monitoring_at": NULLABLE_DATETIME,
    "resolved_at": NULLABLE_DATETIME,
    "started_at": DATETIME,
    "shortlink": {"type": "string", "format": "uri"},
    "page_id": {"type": "string"},
    "incident_updates": {"type": "array", "items": UPDATE},
    "components": {"type": "array", "items": COMPONENT},
}
INCIDENT = strict(_INCIDENT_FIELDS)
MAINTENANCE = strict(
    {
        **_INCIDENT_FIELDS,
        "status": {"enum": ["scheduled", "in_progress", "verifying", "completed"]},
        "impact": {"enum": ["none", "minor", "major", "critical", "maintenance"]},
        "scheduled_for": DATETIME,
        "scheduled_until": DATETIME,
    }
)


def envelope(**fields) -> dict:
    return strict({"page": PAGE, **fields})


ENDPOINTS = {
    "/api/v2/status.json": envelope(status=STATUS),
    "/api/v2/summary.json": envelope(
        components={"type": "array", "items": COMPONENT},
        incidents={"type": "array", "items": INCIDENT},
        scheduled_maintenances={"type": "array", "items": MAINTENANCE},
        status=STATUS,
    ),
    "/api/v2/components.json": envelope(components={"type": "array", "items": COMPONENT}),
    "/api/v2/incidents.json": envelope(incidents={"type": "array", "items": INCIDENT}),
    "/api/v2/incidents/unresolved.json": envelope(incidents={"type": "array", "items": INCIDENT}),
    "/api/v2/scheduled-maintenances.json": envelope(scheduled_maintenances={"type": "array", "items": MAINTENANCE}),
    "/api/v2/scheduled-maintenances/upcoming.json": envelope(
        scheduled_maintenances={"type": "array", "items": MAINTENANCE}
    ),
    "/api/v2/scheduled-maintenances/active.json": envelope(
        scheduled_maintenances={"type": "array", "items": MAINTENANCE}
    ),
}
