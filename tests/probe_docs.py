"""Health documents as brokers send them."""

import json
from datetime import datetime

from django.utils import timezone


def healthy(at: datetime | None = None, **extra) -> dict:
    when = (at or timezone.now()).isoformat()
    return {
        "status": "pass",
        "checks": {
            "spine:connection": [{"status": "pass", "time": when}],
            "outboundQueue:depth": [{"observedValue": 3, "time": when}],
            "outboundQueue:oldestMessageAge": [{"observedValue": 4, "observedUnit": "s", "time": when}],
            "delivery:latency": [{"observedValue": 420, "observedUnit": "ms", "time": when}],
            "delivery:errorRate": [{"observedValue": 0.0, "time": when}],
        },
        **extra,
    }


def failing(at: datetime | None = None) -> dict:
    doc = healthy(at)
    doc["status"] = "fail"
    doc["checks"]["spine:connection"] = [{"status": "fail", "time": (at or timezone.now()).isoformat()}]
    return doc


def send(client, doc: dict | None, token: str | None = None):
    """POST one probe to /api/v1/probes, as a broker does (no token: as a stranger does)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/probes", data=json.dumps(doc), content_type="application/health+json", headers=headers)
