"""Recording a probe and moving its broker's status: the I/O edge around health.py."""

import json
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction

from statuspage import drafts, health
from statuspage.healthdoc import Parsed, storable
from statuspage.models import Broker, Incident, Probe
from statuspage.status import ComponentStatus as S
from statuspage.transitions import set_component_status


def thresholds(overrides: dict | None) -> health.Thresholds:
    """A broker's thresholds from its saved overrides."""
    try:
        return health.Thresholds.with_overrides(overrides or {})
    except ValueError:
        # Saved overrides are validated where they are edited; a bad row must not stop detection.
        return health.Thresholds()


def in_maintenance(broker: Broker) -> bool:
    return Incident.objects.active_maintenance().filter(components=broker.component_id).exists()


def columns(
    broker_id: int,
    token_id: int | None,
    source: str,
    received_at: datetime,
    parsed: Parsed,
    verdict: health.Verdict,
    idempotency_key: str | None,
    document: dict,
) -> dict:
    """A probe row's values: the one place that maps a reading onto Probe's columns."""
    r = parsed.reading
    return {
        "broker_id": broker_id,
        "token_id": token_id,
        "source": source,
        "received_at": received_at,
        "observed_at": parsed.observed_at,
        "idempotency_key": idempotency_key,
        "reported": r.reported,
        "verdict": verdict.status,
        "reason": verdict.reason[:300],
        "spine_connected": r.spine_connected,
        "queue_depth": r.queue_depth,
        "oldest_message_age": r.oldest_message_age,
        "latency_ms": r.latency_ms,
        "error_rate": r.error_rate,
        "throughput": r.throughput,
        "document": storable(document),
    }


# The steady state, in one statement: the broker's state is still what this verdict agrees
# with (health.debounce leaves it alone: verdict == status, nothing pending), so only its
# last-seen times move, and the probe is stored beside them. If the state has moved on, no
# row comes back and the probe takes the locked path instead. PostgreSQL only (a
# data-modifying WITH); elsewhere every probe takes the locked path.
_COLUMNS = (
    "broker_id",
    "token_id",
    "source",
    "received_at",
    "observed_at",
    "idempotency_key",
    "reported",
    "verdict",
    "reason",
    "spine_connected",
    "queue_depth",
    "oldest_message_age",
    "latency_ms",
    "error_rate",
    "throughput",
    "document",
)
# Built once from the constant column names above; every value is a bound parameter.
STEADY_SQL = f"""
WITH steady AS (
    UPDATE statuspage_broker AS b SET last_probe_at = %(received_at)s, silent_at = %(silent_at)s
    FROM statuspage_component AS c
    WHERE b.component_id = %(broker_id)s AND c.id = b.component_id AND c.status = %(verdict)s
      AND b.pending_status = '' AND b.pending_count = 0
    RETURNING b.component_id
)
INSERT INTO statuspage_probe ({", ".join(_COLUMNS)})
SELECT {", ".join("%(document)s::jsonb" if c == "document" else f"%({c})s" for c in _COLUMNS)}
FROM steady
RETURNING id
"""  # noqa: S608


def record_steady(
    broker_id: int,
    token_id: int | None,
    thresholds_override: dict,
    heartbeat_seconds: int,
    parsed: Parsed,
    received_at: datetime,
    source: str,
    document: dict,
    idempotency_key: str | None,
) -> Probe | None:
    """Store a probe that changes nothing, in one round trip; None if it might change something."""
    if connection.vendor != "postgresql":
        return None
    t = thresholds(thresholds_override)
    verdict = health.assess(parsed.reading, t)
    params = columns(broker_id, token_id, source, received_at, parsed, verdict, idempotency_key, document)
    params["document"] = json.dumps(params["document"])
    params["silent_at"] = received_at + timedelta(seconds=heartbeat_seconds * t.silent_heartbeats)
    with connection.cursor() as cursor:
        cursor.execute(STEADY_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return Probe(
        pk=row[0], broker_id=broker_id, received_at=received_at, verdict=verdict.status, reason=verdict.reason[:300]
    )


def record(
    broker_id: int,
    parsed: Parsed,
    received_at: datetime,
    source: str,
    document: dict,
    idempotency_key: str | None = None,
    token_id: int | None = None,
) -> tuple[Probe, bool]:
    """Store a probe and apply it, in one transaction under the broker's row lock.
    Returns (probe, created); a repeated idempotency key returns the first probe."""
    if idempotency_key:
        existing = Probe.objects.filter(broker_id=broker_id, idempotency_key=idempotency_key).first()
        if existing:
            return existing, False
    try:
        with transaction.atomic():
            broker = Broker.objects.select_for_update().select_related("component").get(pk=broker_id)
            t = thresholds(broker.thresholds)
            verdict = health.assess(parsed.reading, t)
            probe = Probe.objects.create(
                **columns(broker_id, token_id, source, received_at, parsed, verdict, idempotency_key, document)
            )
            apply_verdict(broker, verdict, received_at, t)
    except IntegrityError:
        # The same key arrived twice at once: the other request stored it.
        return Probe.objects.get(broker_id=broker_id, idempotency_key=idempotency_key), False
    return probe, True


def apply_verdict(locked: Broker, verdict: health.Verdict, at: datetime, t: health.Thresholds) -> None:
    """Judge a verdict against the ones before it. ``locked`` was read under select_for_update."""
    fields = {
        "last_probe_at": at,
        "silent_at": at + timedelta(seconds=locked.heartbeat_seconds * t.silent_heartbeats),
    }
    d = health.debounce(locked.component.status, locked.pending_status, locked.pending_count, verdict.status, t)
    # Maintenance mutes the probes; asked only when they would change something (rarely).
    if d.status != locked.component.status and in_maintenance(locked):
        d = health.Debounced(locked.component.status, "", 0)
    elif d.status != locked.component.status:
        move(locked, d.status, verdict.reason, at)
    fields.update(pending_status=d.pending_status, pending_count=d.pending_count)
    Broker.objects.filter(pk=locked.pk).update(**fields)


def move(broker: Broker, status: str, reason: str, at: datetime) -> None:
    """Change a broker's status from what the probes (or their silence) say, and tell ops."""
    set_component_status(broker.component, status, reason, at=at)
    drafts.on_status_change(broker, status, reason, at)


def record_failure(broker: Broker, reason: str, received_at: datetime, source: str) -> Probe:
    """A probe that could not be read at all (endpoint down, error answer, bad body): a failed probe."""
    verdict = health.Verdict(S.MAJOR_OUTAGE, reason[:300])
    with transaction.atomic():
        broker = Broker.objects.select_for_update().select_related("component").get(pk=broker.pk)
        t = thresholds(broker.thresholds)
        probe = Probe.objects.create(
            broker=broker,
            source=source,
            received_at=received_at,
            observed_at=received_at,
            reported="fail",
            verdict=verdict.status,
            reason=verdict.reason,
            document={},
        )
        apply_verdict(broker, verdict, received_at, t)
    return probe
