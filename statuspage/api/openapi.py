"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from statuspage.healthdoc import STATUS

_STATUS = {"type": "string", "enum": sorted(STATUS)}
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
                "outboundQueue:oldestMessageAge": _measure(
                    "Age of the oldest waiting message.", {"type": "number", "minimum": 0}, "s"
                ),
                "delivery:latency": _measure("Delivery time.", {"type": "number", "minimum": 0}, "ms"),
                "delivery:errorRate": _measure(
                    "Share of failed deliveries.", {"type": "number", "minimum": 0, "maximum": 1}
                ),
                "delivery:throughput": _measure("Messages per minute.", {"type": "number", "minimum": 0}),
            },
            "additionalProperties": {"type": "array", "items": _CHECK},
        },
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
        "title": "EPS Status probes API",
        "version": "1",
        "description": (
            "Suppliers' message brokers report their health here. Errors are RFC 9457 problem details. "
            "Each probe's document is kept 14 days; NUL characters and unpaired surrogates in it are stored "
            "as U+FFFD."
        ),
    },
    "components": {
        "securitySchemes": {"brokerToken": {"type": "http", "scheme": "bearer", "description": "A broker token."}},
        "schemas": {"HealthDocument": HEALTH, "Problem": _PROBLEM},
    },
    "paths": {
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
                    "422": _error("A reading time more than 60 s ahead of or 5 minutes behind our clock."),
                    "429": _error("Over the broker's rate.", **{"Retry-After": "integer"}),
                },
            }
        }
    },
}


@require_safe
def openapi(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(DOCUMENT)
    response["Access-Control-Allow-Origin"] = "*"
    return response
