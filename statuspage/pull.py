"""Pull probes: for brokers that expose a health document instead of pushing one."""

from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from statuspage import probes
from statuspage.healthdoc import Invalid, loads, parse
from statuspage.models import Broker, Probe

MAX_BYTES = 16 * 1024


def claim_due(now: datetime) -> list[int]:
    """Brokers whose next pull is due, each claimed by moving its next pull time with a
    conditional UPDATE, so two schedulers never fetch the same broker twice."""
    claimed = []
    due = Broker.objects.exclude(pull_url="").filter(Q(next_pull_at__isnull=True) | Q(next_pull_at__lte=now))
    for pk, next_pull_at, heartbeat in due.values_list("pk", "next_pull_at", "heartbeat_seconds"):
        won = Broker.objects.filter(pk=pk, next_pull_at=next_pull_at).update(
            next_pull_at=now + timedelta(seconds=heartbeat)
        )
        if won:
            claimed.append(pk)
    return claimed


def fetch(broker: Broker, session: requests.Session | None = None) -> Probe:
    """Fetch the broker's health document; any failure is a failed probe with its reason."""
    session = session or requests.Session()
    started = timezone.now()
    try:
        response = session.get(
            broker.pull_url,
            timeout=settings.PULL_TIMEOUT_SECONDS,
            headers={"Accept": "application/health+json, application/json"},
            stream=True,
        )
        body = response.raw.read(MAX_BYTES + 1, decode_content=True)
    except requests.RequestException as e:
        return probes.record_failure(broker, f"Health endpoint unreachable: {type(e).__name__}", started, "pull")
    received_at = timezone.now()
    if not 200 <= response.status_code < 300:
        return probes.record_failure(broker, f"Health endpoint answered {response.status_code}", received_at, "pull")
    if len(body) > MAX_BYTES:
        return probes.record_failure(broker, "Health endpoint answered more than 16 KB", received_at, "pull")
    try:
        document = loads(body)
        parsed = parse(document, received_at)
    except (ValueError, UnicodeDecodeError):
        return probes.record_failure(broker, "Health endpoint answered something other than JSON", received_at, "pull")
    except Invalid as e:
        return probes.record_failure(broker, f"Health endpoint answered an invalid document: {e}", received_at, "pull")
    probe, _ = probes.record(broker.pk, parsed, received_at, Probe.Source.PULL, document)
    return probe
