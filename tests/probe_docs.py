"""Health documents as brokers send them."""

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
