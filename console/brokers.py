"""Adding and tuning brokers and issuing their tokens, each with its audit entry."""

from django.db import transaction
from django.http import HttpRequest

from console import audit
from detection import tokens
from statuspage.brokers import central_broker
from statuspage.models import Broker, BrokerToken

FIELDS = ["supplier", "nation", "heartbeat_seconds", "probes_per_minute", "pull_url", "thresholds"]


@transaction.atomic
def save(request: HttpRequest, broker: Broker | None, data: dict) -> Broker:
    before = audit.snapshot(broker, FIELDS) if broker else None
    if broker is None:
        broker = central_broker(data["supplier"], data["nation"])
    for name in ("heartbeat_seconds", "probes_per_minute", "pull_url", "thresholds"):
        setattr(broker, name, data[name])
    broker.save()
    audit.record(
        request,
        "broker.edit" if before else "broker.create",
        broker,
        f"{'Changed' if before else 'Added'} broker {broker}",
        before,
        audit.snapshot(broker, FIELDS),
    )
    return broker


@transaction.atomic
def issue_token(request: HttpRequest, broker: Broker, label: str) -> str:
    token = tokens.issue(broker, label)
    row = BrokerToken.objects.get(prefix=token[:12], broker=broker, revoked_at__isnull=True, label=label)
    audit.record(
        request, "token.issue", row, f"Issued token {row.prefix}… ({label}) for {broker}", after={"label": label}
    )
    return token


@transaction.atomic
def revoke_token(request: HttpRequest, token: BrokerToken) -> bool:
    if token.revoked_at:
        return False
    tokens.revoke(token.broker, token.prefix)
    audit.record(
        request,
        "token.revoke",
        token,
        f"Revoked token {token.prefix}… for {token.broker}",
        {"revoked": False},
        {"revoked": True},
    )
    return True
