"""Recording a probe and moving its broker's status: the I/O edge around health.py."""

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import psycopg
from django.db import IntegrityError, connection, transaction
from psycopg.types.json import Jsonb

from detection import drafts, health
from detection.healthdoc import Parsed, storable
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


@dataclass(frozen=True)
class Received:
    """One probe as it arrived: whose, what it said, when and how."""

    broker_id: int
    parsed: Parsed
    received_at: datetime
    source: str  # Probe.Source: pushed to us or pulled by us
    document: dict
    idempotency_key: str | None = None
    token_id: int | None = None
    # The broker's monitoring settings as the caller holds them (a token carries them), so the
    # one-statement path needs no read of the broker's row.
    thresholds: dict = field(default_factory=dict)
    heartbeat_seconds: int = 30


def columns(probe: Received, verdict: health.Verdict) -> dict:
    """A probe row's values: the one place that maps a reading onto Probe's columns."""
    parsed, r = probe.parsed, probe.parsed.reading
    return {
        "broker_id": probe.broker_id,
        "token_id": probe.token_id,
        "source": probe.source,
        "received_at": probe.received_at,
        "observed_at": parsed.observed_at,
        "idempotency_key": probe.idempotency_key,
        "service_id": (parsed.service_id or "")[:200],
        "reported": r.reported,
        "verdict": verdict.status,
        "reason": verdict.reason[:300],
        "spine_connected": r.spine_connected,
        "queue_depth": r.queue_depth,
        "oldest_message_age": r.oldest_message_age,
        "latency_ms": r.latency_ms,
        "error_rate": r.error_rate,
        "throughput": r.throughput,
        "document": storable(probe.document),
    }


# The steady state, in one statement: the broker's state is still what this verdict agrees
# with (health.debounce leaves it alone: verdict == status, nothing pending), so only its
# last-seen times move, and the probe is stored beside them. If the state has moved on, no
# row comes back and the probe takes the locked path instead. PostgreSQL only (a
# data-modifying WITH); elsewhere every probe takes the locked path.
@functools.cache
def _steady_sql(names: tuple[str, ...]) -> str:
    """The statement for these probe columns (the keys of columns()), each value a bound
    parameter cast to its column's type: bound on the server, the statement is prepared once
    per connection, so PostgreSQL neither parses nor plans it again."""
    fields = {f.attname: f for f in Probe._meta.concrete_fields}
    values = ", ".join(f"%({n})s::{fields[n].db_type(connection)}" for n in names)
    return f"""
WITH steady AS (
    UPDATE statuspage_broker AS b SET last_probe_at = %(received_at)s, silent_at = %(silent_at)s,
      rate_count = CASE WHEN b.rate_window = %(minute)s THEN b.rate_count + 1 ELSE 1 END,
      rate_window = %(minute)s
    FROM statuspage_component AS c
    WHERE b.component_id = %(broker_id)s AND c.id = b.component_id AND c.status = %(verdict)s
      AND b.pending_status = '' AND b.pending_count = 0
      AND (b.rate_window <> %(minute)s OR b.rate_count < b.probes_per_minute)
    RETURNING b.component_id
)
INSERT INTO statuspage_probe ({", ".join(fields[n].column for n in names)})
SELECT {values} FROM steady
RETURNING id
"""  # noqa: S608 -- names are Probe's own fields; every value is a bound parameter


def record_steady(probe: Received) -> Probe | None:
    """Store a probe that changes nothing, in one round trip; None if it might change something
    or is over its broker's rate (the locked path tells which)."""
    if connection.vendor != "postgresql":
        return None
    t = thresholds(probe.thresholds)
    verdict = health.assess(probe.parsed.reading, t)
    params = columns(probe, verdict)
    sql = _steady_sql(tuple(params))
    params["document"] = Jsonb(params["document"])
    params["silent_at"] = probe.received_at + timedelta(seconds=probe.heartbeat_seconds * t.silent_heartbeats)
    params["minute"] = _minute(probe.received_at)
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        row = cursor.fetchone()
    if row is None:
        return None
    return Probe(
        pk=row[0],
        broker_id=probe.broker_id,
        received_at=probe.received_at,
        verdict=verdict.status,
        reason=verdict.reason[:300],
    )


class RateLimited(Exception):
    def __init__(self, per_minute: int, retry_after: int) -> None:
        super().__init__(f"over {per_minute} probes a minute")
        self.per_minute = per_minute
        self.retry_after = retry_after


def _minute(at: datetime) -> int:
    return int(at.timestamp() // 60)


def _count_push(broker: Broker, at: datetime) -> dict:
    """The rate fields after one more push this minute; RateLimited if there is no room."""
    minute = _minute(at)
    count = broker.rate_count if broker.rate_window == minute else 0
    if count >= broker.probes_per_minute:
        raise RateLimited(broker.probes_per_minute, 60 - int(at.timestamp() % 60))
    return {"rate_window": minute, "rate_count": count + 1}


def record(probe: Received) -> tuple[Probe, bool]:
    """Store a probe and apply it, in one transaction under the broker's row lock.
    Returns (probe, created); a repeated idempotency key returns the first probe (the push view
    looks for one before writing anything; this catches the same key arriving twice at once).
    A push over its broker's rate raises RateLimited and stores nothing."""
    try:
        with transaction.atomic():
            broker = Broker.objects.select_for_update().select_related("component").get(pk=probe.broker_id)
            rate = _count_push(broker, probe.received_at) if probe.source == Probe.Source.PUSH else {}
            # Read under the lock, not the caller's copy: an edit since the token was loaded counts.
            t = thresholds(broker.thresholds)
            verdict = health.assess(probe.parsed.reading, t)
            stored = Probe.objects.create(**columns(probe, verdict))
            apply_verdict(broker, verdict, probe.received_at, t, **rate)
    except IntegrityError:
        # The same key arrived twice at once: the other request stored it.
        return Probe.objects.get(broker_id=probe.broker_id, idempotency_key=probe.idempotency_key), False
    return stored, True


def apply_verdict(locked: Broker, verdict: health.Verdict, at: datetime, t: health.Thresholds, **also) -> None:
    """Judge a verdict against the ones before it. ``locked`` was read under select_for_update;
    ``also`` are more of its fields to save in the same UPDATE."""
    fields = {
        **also,
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
