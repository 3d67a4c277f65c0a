"""JSON from strangers, read strictly: standard JSON only (no NaN or Infinity), every number finite,
and nesting no deeper than a small limit. Python would read 1e400 as infinity, which no database
column can hold, and its parser recurses once per level, so a few thousand brackets would exhaust
the stack: both become a clear ValueError instead."""

import json
import math
from typing import Any

MAX_DEPTH = 32


class TooDeep(ValueError):
    def __init__(self, offset: int) -> None:
        super().__init__(f"nested more than {MAX_DEPTH} levels deep (at character {offset})")
        self.offset = offset


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text} is too large")
    return value


def _not_json(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def _check_depth(text: str) -> None:
    # On the text, before parsing: brackets inside strings do not count.
    depth, in_string, escaped = 0, False, False
    for offset, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise TooDeep(offset)
        elif ch in "]}":
            depth -= 1


def loads(raw: bytes | str) -> Any:
    text = raw.decode() if isinstance(raw, bytes) else raw
    _check_depth(text)
    return json.loads(text, parse_float=_finite, parse_constant=_not_json)


def nul_at(value: Any, pointer: str = "") -> str | None:
    """Where a NUL character sits in a decoded document (a JSON pointer), or None. Valid JSON may
    escape one (\\u0000), but no database text column can store it."""
    if isinstance(value, str):
        return pointer if "\x00" in value else None
    if isinstance(value, list):
        items = enumerate(value)
    elif isinstance(value, dict):
        if any("\x00" in key for key in value):
            return pointer
        items = value.items()
    else:
        return None
    for key, item in items:
        found = nul_at(item, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}")
        if found is not None:
            return found
    return None
