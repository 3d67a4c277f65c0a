"""Reading a health document (IETF draft "Health Check Response Format for HTTP APIs").

Pure: takes the decoded JSON and the time it arrived; returns a Reading or raises
Invalid with one JSON-pointer-located message per problem.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from common import strict_json
from detection.health import Reading

STATUS = {"pass": "pass", "ok": "pass", "up": "pass", "warn": "warn", "fail": "fail", "error": "fail", "down": "fail"}
MAX_AHEAD_SECONDS = 60
MAX_BEHIND_SECONDS = 5 * 60

# component:measurement -> (Reading field, unit we accept, lowest, highest, whole number?). Every
# measurement has a highest: what we store must fit its column (a queue depth a 32-bit integer, the rest
# far beyond any real value: 10^9 seconds is 31 years).
MEASURES: dict[str, tuple[str, str | None, float, float | None, bool]] = {
    "outboundQueue:depth": ("queue_depth", None, 0, 2**31 - 1, True),
    "outboundQueue:oldestMessageAge": ("oldest_message_age", "s", 0, 10**9, False),
    "delivery:latency": ("latency_ms", "ms", 0, 10**9, False),
    "delivery:errorRate": ("error_rate", None, 0, 1, False),
    "delivery:throughput": ("throughput", None, 0, 10**9, False),
}
SPINE = "spine:connection"
TEXT_FIELDS = ("serviceId", "releaseId", "version", "description", "output")
CHECK_TEXT_FIELDS = ("componentId", "componentType", "observedUnit", "output")


def loads(raw: bytes | str) -> Any:
    """JSON as the standard has it: no NaN or Infinity, no number too large to be finite, and no
    nesting deeper than common.strict_json.MAX_DEPTH."""
    return strict_json.loads(raw)


class Invalid(Exception):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p or '/'}: {d}" for p, d in errors))
        self.errors = errors


class Unstorable(Invalid):
    """Each part is valid, but together they exceed what we can store (instances that add up)."""


@dataclass(frozen=True)
class Parsed:
    reading: Reading
    observed_at: datetime
    service_id: str | None


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _time(value: Any, pointer: str, errors: list) -> datetime | None:
    if not isinstance(value, str):
        errors.append((pointer, "must be an ISO 8601 date-time string"))
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        errors.append((pointer, f"{value!r} is not an ISO 8601 date-time"))
        return None
    if parsed.tzinfo is None:
        errors.append((pointer, "must include a time zone offset, e.g. Z or +01:00"))
        return None
    return parsed


def _number(entry: dict, pointer: str, spec: tuple, errors: list) -> float | None:
    _, unit, lowest, highest, whole = spec
    value = entry.get("observedValue")
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.append((f"{pointer}/observedValue", "must be a number"))
        return None
    if value < lowest or (highest is not None and value > highest):
        bounds = f"between {lowest} and {highest}" if highest is not None else f"at least {lowest}"
        errors.append((f"{pointer}/observedValue", f"must be {bounds}"))
        return None
    if whole and int(value) != value:
        errors.append((f"{pointer}/observedValue", "must be a whole number"))
        return None
    if unit and entry.get("observedUnit", unit) != unit:
        errors.append((f"{pointer}/observedUnit", f"must be {unit!r}"))
        return None
    return value


def parse(document: Any, received_at: datetime) -> Parsed:
    errors: list[tuple[str, str]] = []
    if not isinstance(document, dict):
        raise Invalid([("", "the body must be a JSON object")])
    reported = document.get("status")
    if not isinstance(reported, str) or reported.lower() not in STATUS:
        errors.append(("/status", f"is required and must be one of: {', '.join(STATUS)}"))
    for name in TEXT_FIELDS:
        if name in document and not isinstance(document[name], str):
            errors.append((f"/{name}", "must be a string"))
    notes = document.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        errors.append(("/notes", "must be an array of strings"))
    checks = document.get("checks", {})
    values: dict[str, Any] = {}
    times: list[datetime] = []
    if not isinstance(checks, dict):
        errors.append(("/checks", "must be an object keyed component:measurement"))
        checks = {}
    for key, entries in checks.items():
        base = f"/checks/{_escape(key)}"
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            errors.append((base, "must be an array of objects"))
            continue
        for i, entry in enumerate(entries):
            pointer = f"{base}/{i}"
            for name in CHECK_TEXT_FIELDS:
                if name in entry and not isinstance(entry[name], str):
                    errors.append((f"{pointer}/{name}", "must be a string"))
            if "status" in entry and (not isinstance(entry["status"], str) or entry["status"].lower() not in STATUS):
                errors.append((f"{pointer}/status", f"must be one of: {', '.join(STATUS)}"))
            if "time" in entry and (when := _time(entry["time"], f"{pointer}/time", errors)):
                times.append(when)
            if key == SPINE:
                if "observedValue" not in entry:
                    connected = STATUS.get(str(entry.get("status", "")).lower()) != "fail"
                elif not isinstance(connected := entry["observedValue"], bool):
                    errors.append((f"{pointer}/observedValue", "must be true or false"))
                    continue
                values["spine_connected"] = values.get("spine_connected", True) and connected
            elif key in MEASURES:
                spec = MEASURES[key]
                value = _number(entry, pointer, spec, errors)
                if value is not None:
                    values.setdefault(spec[0], []).append(value)
    if errors:
        raise Invalid(errors)
    # Several instances of one measurement: a queue's depth and throughput add up; for
    # ages, latency and errors the worst instance counts.
    combined: dict[str, Any] = {
        name: (sum(v) if name in ("queue_depth", "throughput") else max(v)) if isinstance(v, list) else v
        for name, v in values.items()
    }
    # Summed, instances within their bounds can still pass the column's: refused like one that does.
    for key, (name, _unit, _lowest, highest, _whole) in MEASURES.items():
        if highest is not None and combined.get(name) is not None and combined[name] > highest:
            errors.append((f"/checks/{_escape(key)}", f"its instances add up to more than {highest}"))
    if errors:
        raise Unstorable(errors)
    if "queue_depth" in combined:
        combined["queue_depth"] = int(combined["queue_depth"])
    # A status that is not a string is among the errors raised above.
    reading = Reading(reported=STATUS[str(reported).lower()], **combined)
    return Parsed(reading=reading, observed_at=max(times, default=received_at), service_id=document.get("serviceId"))


def clock_problem(observed_at: datetime, received_at: datetime) -> str | None:
    """Why a reading's time cannot be trusted, or None."""
    skew = (observed_at - received_at).total_seconds()
    if skew > MAX_AHEAD_SECONDS:
        return f"the reading is {skew:.0f} s ahead of our clock; at most {MAX_AHEAD_SECONDS} s is allowed"
    if -skew > MAX_BEHIND_SECONDS:
        return f"the reading is {-skew:.0f} s old; readings older than {MAX_BEHIND_SECONDS} s are refused"
    return None


def _clean(text: str) -> str:
    if "\x00" not in text and not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return "".join("\ufffd" if ch == "\x00" or "\ud800" <= ch <= "\udfff" else ch for ch in text)


def storable(document: Any) -> Any:
    """The document as the database can keep it: PostgreSQL text cannot hold NUL or unpaired
    surrogates (valid JSON escapes both), so those become U+FFFD in the stored copy."""
    if isinstance(document, str):
        return _clean(document)
    if isinstance(document, list):
        return [storable(v) for v in document]
    if isinstance(document, dict):
        return {_clean(k): storable(v) for k, v in document.items()}
    return document
