"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``."""

from django.http import HttpRequest, JsonResponse

from detection.healthdoc import STATUS
from statuspage.api.problems import read_only

_STATUS = {"type": "string", "enum": sorted(STATUS)}
# What the columns hold, far beyond any real reading (10^9 seconds is 31 years).
_UP_TO_A_BILLION = {"type": "number", "minimum": 0, "maximum": 10**9}
_PROBLEM = {
    "type": "object",
    "required": ["type", "status", "title", "detail"],
    "properties": {
        "type": {"type": "string"},
        "status": {"type": "integer"},
        "title": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["pointer", "detail"],
                "properties": {"pointer": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
    },
}
_CHECK = {
    "type": "object",
    "properties": {
        "componentId": {"type": "string"},
        "componentType": {"type": "string"},
        "observedValue": {},
        "observedUnit": {"type": "string"},
        "status": _STATUS,
        "time": {"type": "string", "format": "date-time"},
        "output": {"type": "string"},
    },
}


def _measure(description: str, value: dict, unit: str | None = None, required: bool = True) -> dict:
    properties = {**_CHECK["properties"], "observedValue": value}
    if unit:
        properties["observedUnit"] = {"const": unit}
    item = {"type": "object", "properties": properties}
    if required:
        item["required"] = ["observedValue"]
    return {"type": "array", "description": description, "items": item}


HEALTH = {
    "type": "object",
    "description": 'IETF draft "Health Check Response Format for HTTP APIs".',
    "required": ["status"],
    "properties": {
        "status": _STATUS,
        "version": {"type": "string"},
        "releaseId": {"type": "string"},
        "serviceId": {"type": "string", "description": "The broker's component id or slug; optional."},
        "description": {"type": "string"},
        "notes": {"type": "array", "items": {"type": "string"}},
        "output": {"type": "string"},
        "checks": {
            "type": "object",
            "description": "Keyed component:measurement. Measurements other than these are stored, not interpreted.",
            "properties": {
                "spine:connection": _measure(
                    "Connection to NHS Spine: observedValue true or false, or status pass or fail.",
                    {"type": "boolean"},
                    required=False,
                ),
                "outboundQueue:depth": _measure(
                    "Messages waiting.", {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
                ),
                "outboundQueue:oldestMessageAge": _measure("Age of the oldest waiting message.", _UP_TO_A_BILLION, "s"),
                "delivery:latency": _measure(
                    "Delivery time.", {"type": "number", "minimum": 0, "maximum": 10**9}, "ms"
                ),
                "delivery:errorRate": _measure(
                    "Share of failed deliveries.", {"type": "number", "minimum": 0, "maximum": 1}
                ),
                "delivery:throughput": _measure(
                    "Messages per minute.", {"type": "number", "minimum": 0, "maximum": 10**9}
                ),
            },
            "additionalProperties": {"type": "array", "items": _CHECK},
        },
    },
}


_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
ADVICE = {
    "type": "object",
    "description": "Whether the route to a pharmacy is working and what to do; the same answer the status page gives.",
    "additionalProperties": False,
    "required": [
        "pharmacy",
        "supplier",
        "nation",
        "status",
        "working",
        "advice",
        "headline",
        "summary",
        "guidance",
        "route",
        "incident",
        "last_probe_at",
        "generated_at",
    ],
    "properties": {
        "pharmacy": {
            "type": ["object", "null"],
            "required": ["ods_code", "name", "postcode", "nation", "url"],
            "properties": {
                "ods_code": {"type": "string"},
                "name": {"type": "string"},
                "postcode": {"type": "string"},
                "nation": {"type": "string"},
                "url": {"type": "string", "description": "The patients' page for this pharmacy."},
            },
        },
        "supplier": {
            "type": "object",
            "required": ["slug", "name", "vendor"],
            "properties": {"slug": {"type": "string"}, "name": {"type": "string"}, "vendor": {"type": "string"}},
        },
        "nation": {"type": "string", "enum": ["england", "scotland", "wales", "northern_ireland"]},
        "status": {
            "type": "string",
            "description": "The worst public component status on the route (Statuspage's words).",
            "enum": ["operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"],
        },
        "working": {"type": "boolean", "description": "true only when advice is send_electronically."},
        "advice": {
            "type": "string",
            "enum": ["send_electronically", "expect_delays", "print_paper_for_urgent"],
            "description": (
                "send_electronically: as usual. expect_delays: send electronically, prescriptions may take longer. "
                "print_paper_for_urgent: electronic prescriptions may not arrive; print paper prescriptions for "
                "urgent items."
            ),
        },
        "headline": {"type": "string"},
        "summary": {"type": "string", "description": "One plain sentence for patients."},
        "guidance": {"type": "string", "description": "What GP practices and pharmacies should do."},
        "route": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "status"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "status": {"type": "string"}},
            },
        },
        "incident": {
            "type": ["object", "null"],
            "required": ["id", "name", "status", "impact", "url"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "status": {"type": "string"},
                "impact": {"type": "string"},
                "url": {"type": "string"},
            },
        },
        "last_probe_at": {**_NULLABLE_TIME, "description": "When the pharmacy system's broker last reported."},
        "generated_at": {"type": "string", "format": "date-time"},
    },
}


def _error(description: str, **headers) -> dict:
    response = {"description": description, "content": {"application/problem+json": {"schema": _PROBLEM}}}
    if headers:
        response["headers"] = {name: {"schema": {"type": kind}} for name, kind in headers.items()}
    return response


DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "EPS Status API",
        "version": "1",
        "description": (
            "Suppliers' message brokers report their health here, and clinical systems ask what to do. "
            "Errors are RFC 9457 problem details. "
            "Each probe's document is kept 14 days; NUL characters and unpaired surrogates in it are stored "
            "as U+FFFD."
        ),
    },
    "components": {
        "securitySchemes": {"brokerToken": {"type": "http", "scheme": "bearer", "description": "A broker token."}},
        "schemas": {"HealthDocument": HEALTH, "Advice": ADVICE, "Problem": _PROBLEM},
    },
    "paths": {
        "/api/v1/advice": {
            "get": {
                "operationId": "getAdvice",
                "summary": "Is the route to a pharmacy working, and what should a prescriber do?",
                "description": (
                    "Ask with pharmacy, or with supplier and nation (a supplier with one central broker per "
                    "nation). Public, cached for CACHE_MAX_AGE seconds, open to any origin."
                ),
                "parameters": [
                    {
                        "name": "pharmacy",
                        "in": "query",
                        "schema": {"type": "string", "pattern": "^[Ff][A-Za-z0-9]{4}$"},
                        "description": "The pharmacy's ODS code, e.g. FW844.",
                    },
                    {
                        "name": "supplier",
                        "in": "query",
                        "schema": {"type": "string"},
                        "description": "The supplier's slug, e.g. cegedim-pharmacy-manager.",
                    },
                    {
                        "name": "nation",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["england", "scotland", "wales", "northern_ireland"]},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The advice.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Advice"}}},
                    },
                    "304": {"description": "Not modified (If-None-Match or If-Modified-Since)."},
                    "400": _error("Neither pharmacy nor supplier and nation, both, or a malformed value."),
                    "404": _error("No such pharmacy or supplier."),
                    "405": _error("Only GET and HEAD.", Allow="string"),
                },
            }
        },
        "/api/v1/probes": {
            "post": {
                "operationId": "pushProbe",
                "summary": "Report a broker's health",
                "security": [{"brokerToken": []}],
                "parameters": [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "description": "A retried probe with the same key counts once.",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/health+json": {"schema": {"$ref": "#/components/schemas/HealthDocument"}},
                        "application/json": {"schema": {"$ref": "#/components/schemas/HealthDocument"}},
                    },
                },
                "responses": {
                    "202": {
                        "description": "Stored, and applied to the broker's status.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id", "received_at", "verdict", "reason"],
                                    "properties": {
                                        "id": {"type": "integer"},
                                        "received_at": {"type": "string", "format": "date-time"},
                                        "verdict": {"type": "string"},
                                        "reason": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "400": _error("Malformed JSON or invalid fields; each error has a JSON pointer."),
                    "401": _error("Missing, unknown or revoked token.", **{"WWW-Authenticate": "string"}),
                    "403": _error("The token belongs to another broker than serviceId names."),
                    "405": _error("Only POST.", Allow="string"),
                    "413": _error("Body over 16 KB."),
                    "415": _error("Content type other than application/health+json or application/json."),
                    "422": _error(
                        "A reading time more than 60 s ahead of or 5 minutes behind our clock, or instances of"
                        " one measurement that add up to more than it can hold."
                    ),
                    "429": _error("Over the broker's rate.", **{"Retry-After": "integer"}),
                    "503": _error(
                        "Our database is unreachable: nothing was stored; send it again.", **{"Retry-After": "integer"}
                    ),
                },
            }
        },
    },
}


@read_only
def openapi(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(DOCUMENT)
    response["Access-Control-Allow-Origin"] = "*"
    return response
