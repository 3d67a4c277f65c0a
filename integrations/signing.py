"""How integrators know a webhook is ours and fresh: HMAC-SHA256 over the timestamp and the body.

Header: ``X-EPS-Signature: t=<unix seconds>,v1=<hex>`` where the hex is
HMAC-SHA256(secret, "<t>." + body). Each attempt is signed anew, so a receiver can refuse
anything older than a few minutes (a replay) without refusing our retries.
"""

import hashlib
import hmac
import secrets

HEADER = "X-EPS-Signature"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does (and our tests, as a receiver would)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
