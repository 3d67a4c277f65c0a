"""Detection's Celery tasks: thin, idempotent, taking only ids."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from detection import drafts, pull, retention, silence
from statuspage.models import Broker


@shared_task
def check_silence() -> int:
    """Every 15 s: brokers that stopped reporting."""
    return silence.check(timezone.now())


@shared_task
def publish_holding_notices() -> int:
    """Every 30 s: drafts nobody acted on get their holding notice published."""
    return drafts.publish_holding_notices(timezone.now())


@shared_task
def pull_due_brokers() -> int:
    """Every 5 s: hand the brokers whose pull is due to the outbound workers, a group per task."""
    claimed = pull.claim_due(timezone.now())
    size = settings.PULL_IN_FLIGHT
    for i in range(0, len(claimed), size):
        pull_brokers.delay(claimed[i : i + size])
    return len(claimed)


@shared_task(soft_time_limit=settings.PULL_TIMEOUT_SECONDS + 30, time_limit=settings.PULL_TIMEOUT_SECONDS + 60)
def pull_brokers(broker_ids: list[int]) -> None:
    """Fetches them all at once, each within PULL_TIMEOUT_SECONDS."""
    brokers = list(Broker.objects.select_related("component").filter(pk__in=broker_ids).exclude(pull_url=""))
    if brokers:
        pull.fetch_many(brokers)


@shared_task(soft_time_limit=540, time_limit=600)  # every 10 minutes: done before the next
def roll_up_probes() -> dict:
    """Every 10 minutes: roll raw probes up and delete what is past retention."""
    return retention.roll_up_and_prune(timezone.now())
