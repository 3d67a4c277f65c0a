"""Broker bearer tokens: 256 random bits, shown once, kept only as SHA-256."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.utils import timezone

from statuspage.models import Broker, BrokerToken

PREFIX = "eps_"
# Writing last_used_at on every probe would double the writes per probe; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(broker: Broker, label: str = "") -> str:
    token = PREFIX + secrets.token_urlsafe(32)
    BrokerToken.objects.create(broker=broker, digest=_digest(token), prefix=token[:12], label=label)
    return token


def authenticate(token: str) -> BrokerToken | None:
    """The live token this is, or None. The look-up is by digest, then compared in constant time."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    digest = _digest(token)
    found = (
        BrokerToken.objects.select_related("broker__component", "broker__supplier")
        .filter(digest=digest, revoked_at__isnull=True)
        .first()
    )
    if found is None or not hmac.compare_digest(found.digest, digest):
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
        BrokerToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found


def revoke(broker: Broker, prefix: str) -> int:
    return BrokerToken.objects.filter(broker=broker, prefix__startswith=prefix, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
