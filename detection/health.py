"""From broker health readings to a component status, with a sentence saying why.

Pure functions: no database, no network, no clock of their own. The callers in
``probes.py`` and ``silence.py`` bring the readings, the thresholds and the time.
"""

from dataclasses import asdict, dataclass, fields
from datetime import datetime

from statuspage.status import SEVERITY
from statuspage.status import ComponentStatus as S
from statuspage.uptime import format_duration


@dataclass(frozen=True)
class Thresholds:
    degraded_latency_ms: float = 5000
    degraded_oldest_message_age: float = 15 * 60
    degraded_error_rate: float = 0.05
    partial_error_rate: float = 0.25
    partial_oldest_message_age: float = 60 * 60
    major_error_rate: float = 0.75
    # One blip changes nothing public: worse needs this many bad probes in a row...
    bad_probes_to_worsen: int = 3
    # ...and better this many good ones.
    good_probes_to_recover: int = 2
    # Silent for this many heartbeats: not reporting. Silent this long (seconds): a major outage.
    silent_heartbeats: int = 2
    silence_is_outage_after: float = 5 * 60

    @classmethod
    def with_overrides(cls, overrides: dict) -> "Thresholds":
        """Defaults, with a broker's own values where it has them. Raises ValueError on nonsense."""
        known = {f.name: f.type for f in fields(cls)}
        unknown = set(overrides) - set(known)
        if unknown:
            raise ValueError(f"unknown threshold(s): {', '.join(sorted(unknown))}")
        values = {}
        for name, value in overrides.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} must be a number of at least 0")
            if known[name] in (int, "int") and int(value) != value:
                raise ValueError(f"{name} must be a whole number")
            values[name] = value
        return cls(**{**asdict(cls()), **values})


@dataclass(frozen=True)
class Reading:
    """What one health document says, in the measurements we interpret."""

    reported: str  # the document's overall status: pass, warn or fail
    spine_connected: bool | None = None
    queue_depth: int | None = None
    oldest_message_age: float | None = None  # seconds
    latency_ms: float | None = None
    error_rate: float | None = None  # 0-1
    throughput: float | None = None  # messages per minute


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str


def _percent(rate: float) -> str:
    return f"{rate * 100:.0f}%"


def _seconds(value: float) -> str:
    return format_duration(value) if value >= 60 else f"{value:.0f} s"


def assess(reading: Reading, t: Thresholds) -> Verdict:
    """The status one probe alone points to, and why, in words ops and the public can read."""
    findings: list[tuple[str, str]] = []
    if reading.spine_connected is False:
        findings.append((S.MAJOR_OUTAGE, "connection to NHS Spine failed"))
    if reading.error_rate is not None:
        rate = reading.error_rate
        for status, limit in (
            (S.MAJOR_OUTAGE, t.major_error_rate),
            (S.PARTIAL_OUTAGE, t.partial_error_rate),
            (S.DEGRADED_PERFORMANCE, t.degraded_error_rate),
        ):
            if rate > limit:
                findings.append((status, f"{_percent(rate)} of messages failing; threshold {_percent(limit)}"))
                break
    if reading.oldest_message_age is not None:
        age = reading.oldest_message_age
        for status, limit in (
            (S.PARTIAL_OUTAGE, t.partial_oldest_message_age),
            (S.DEGRADED_PERFORMANCE, t.degraded_oldest_message_age),
        ):
            if age > limit:
                findings.append((status, f"oldest prescription waiting {_seconds(age)}; threshold {_seconds(limit)}"))
                break
    if reading.latency_ms is not None and reading.latency_ms > t.degraded_latency_ms:
        findings.append(
            (
                S.DEGRADED_PERFORMANCE,
                f"delivery taking {reading.latency_ms / 1000:.1f} s; threshold {t.degraded_latency_ms / 1000:.0f} s",
            )
        )
    if reading.reported == "fail" and not findings:
        findings.append((S.MAJOR_OUTAGE, "the broker reports that it is failing"))
    if reading.reported == "warn" and not findings:
        findings.append((S.DEGRADED_PERFORMANCE, "the broker reports a warning"))
    if not findings:
        return Verdict(S.OPERATIONAL, _healthy_summary(reading))
    worst = max((status for status, _ in findings), key=SEVERITY.__getitem__)
    reason = "; ".join(text for status, text in findings if status == worst)
    return Verdict(worst, reason[0].upper() + reason[1:])


def _healthy_summary(reading: Reading) -> str:
    parts = []
    if reading.latency_ms is not None:
        parts.append(f"delivery in {reading.latency_ms / 1000:.1f} s")
    if reading.queue_depth is not None:
        parts.append(f"{reading.queue_depth} waiting")
    return "Working normally" + (f": {', '.join(parts)}" if parts else "")


@dataclass(frozen=True)
class Debounced:
    status: str
    pending_status: str
    pending_count: int


def debounce(current: str, pending_status: str, pending_count: int, verdict: str, t: Thresholds) -> Debounced:
    """Apply a probe's verdict only after enough of them in a row point the same way."""
    if verdict == current:
        return Debounced(current, "", 0)
    worse = SEVERITY[verdict] > SEVERITY[current]
    same_direction = bool(pending_status) and (SEVERITY[pending_status] > SEVERITY[current]) == worse
    count = pending_count + 1 if same_direction else 1
    needed = t.bad_probes_to_worsen if worse else t.good_probes_to_recover
    if count >= needed:
        return Debounced(verdict, "", 0)
    return Debounced(current, verdict, count)


def silence(
    current: str, last_probe_at: datetime, now: datetime, heartbeat_seconds: int, t: Thresholds
) -> Verdict | None:
    """What a broker's silence means, or None if it has not been silent long enough to matter."""
    quiet = (now - last_probe_at).total_seconds()
    said = f"No health report for {_seconds(quiet)}; expected every {_seconds(heartbeat_seconds)}"
    if quiet >= t.silence_is_outage_after:
        return None if current == S.MAJOR_OUTAGE else Verdict(S.MAJOR_OUTAGE, said)
    if quiet >= t.silent_heartbeats * heartbeat_seconds and current in (S.OPERATIONAL, S.DEGRADED_PERFORMANCE):
        return Verdict(S.NOT_REPORTING, said)
    return None


# The sweep runs every 15 s: missing three is our own outage (beat, a worker, Redis or the database).
SWEEP_LATE_SECONDS = 45
# Below this many watched brokers, "nobody is reporting" says nothing about us.
QUIET_NEEDS_BROKERS = 3
# After our own outage each broker gets this many of its heartbeats to report again.
GRACE_HEARTBEATS = 2


@dataclass(frozen=True)
class OwnHealth:
    """Whether this sweep may judge anyone's silence, and whether brokers are owed a grace period."""

    judge: bool
    grace: bool
    quiet_since: datetime | None  # kept for the next sweep: when every broker fell quiet at once
    why: str = ""


def own_health(
    last_sweep_at: datetime | None,
    now: datetime,
    watched: int,
    newest_probe_at: datetime | None,
    shortest_heartbeat: int | None,
    quiet_since: datetime | None,
) -> OwnHealth:
    """Silence is judged against our own health. If the sweep itself did not run, or no broker at
    all has been heard for a heartbeat, the silence is ours: judge nobody now, and give every broker
    GRACE_HEARTBEATS from the moment we recover. A broker that really fell silent meanwhile is found
    once its grace ends."""
    if last_sweep_at is not None and (now - last_sweep_at).total_seconds() > SWEEP_LATE_SECONDS:
        gap = _seconds((now - last_sweep_at).total_seconds())
        return OwnHealth(judge=False, grace=True, quiet_since=None, why=f"the silence sweep did not run for {gap}")
    everyone_quiet = (
        watched >= QUIET_NEEDS_BROKERS
        and newest_probe_at is not None
        and shortest_heartbeat is not None
        and (now - newest_probe_at).total_seconds() >= shortest_heartbeat
    )
    if everyone_quiet:
        since = quiet_since or newest_probe_at
        return OwnHealth(judge=False, grace=False, quiet_since=since, why="no broker at all has reported")
    if quiet_since is not None:
        return OwnHealth(judge=False, grace=True, quiet_since=None, why="brokers are reporting again")
    return OwnHealth(judge=True, grace=False, quiet_since=None)


def pool_away(last_heartbeat: datetime | None, now: datetime) -> bool:
    """A worker pool that has left a heartbeat, but none for longer than three sweeps, is away. (One that
    never left one is unknown, not away: a fresh deployment, or a test.)"""
    return last_heartbeat is not None and (now - last_heartbeat).total_seconds() > SWEEP_LATE_SECONDS
