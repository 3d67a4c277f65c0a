"""Thin Celery tasks: they take ids, call a function, and decide nothing else."""

import logging

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from notifications import confirmations, delivery, fanout, newcomers, signup
from notifications.channels.base import DeliveryError
from notifications.models import Notice

log = logging.getLogger(__name__)


@shared_task
def plan_notice(notice_id: int) -> None:
    def ready(ranges: list[tuple[int, int]]) -> None:
        for first_id, last_id in ranges:
            send_batch.delay(notice_id, first_id, last_id)

    fanout.plan(notice_id, ready)


# A batch sends for BUDGET_SECONDS, then waits for what is in flight: a lookup and a send, each
# within its deadline. Past the soft limit something is wrong; what was in flight stays leased,
# and is looked up at the provider before any second send.
SEND_LIMITS = {
    "soft_time_limit": delivery.BUDGET_SECONDS + 2 * settings.SMS_DEADLINE_SECONDS + 30,
    "time_limit": delivery.BUDGET_SECONDS + 2 * settings.SMS_DEADLINE_SECONDS + 60,
}


@shared_task(**SEND_LIMITS)
def send_batch(notice_id: int, first_id: int, last_id: int) -> None:
    delivery.send_batch(notice_id, first_id, last_id)
    if delivery.more_due(notice_id, first_id, last_id):
        # Its time ran out at the provider's rate: the rest of the range goes to a fresh task.
        send_batch.delay(notice_id, first_id, last_id)


@shared_task
def dispatch() -> None:
    """Every few seconds: notices nobody planned yet (the queue was down at publish), deliveries
    whose worker died, and retries now due."""
    waiting = Q(state=Notice.State.PENDING) | Q(state=Notice.State.PLANNING, lease_until__lt=timezone.now())
    for notice_id in Notice.objects.filter(waiting).values_list("pk", flat=True):
        plan_notice.delay(notice_id)
    for notice_id, first_id, last_id in delivery.sweep():
        send_batch.delay(notice_id, first_id, last_id)


# One person's text, tried again shortly if the provider is away for now; a lookup and a send,
# each within its deadline, fit in the time limits.
ONE_TEXT = {
    "autoretry_for": (DeliveryError,),
    "retry_backoff": 5,
    "retry_jitter": True,
    "soft_time_limit": 2 * settings.SMS_DEADLINE_SECONDS + 30,
    "time_limit": 2 * settings.SMS_DEADLINE_SECONDS + 60,
}


@shared_task(**ONE_TEXT, max_retries=3)
def send_confirmation(subscriber_id: int) -> None:
    """Takes an id, never the address or the code: task arguments end up in queues and logs."""
    try:
        confirmations.send(subscriber_id)
    except DeliveryError as e:
        if e.permanent:
            log.warning("confirmation for subscriber %s not sent: %s", subscriber_id, e)
            return
        raise


@shared_task(**ONE_TEXT, max_retries=5)
def tell_newcomer(subscriber_id: int) -> None:
    """Just confirmed: the open problems that reach them, now (and so the fix, later)."""
    newcomers.tell(subscriber_id)


@shared_task
def forget_unconfirmed() -> None:
    signup.forget_unconfirmed()
