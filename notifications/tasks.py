"""Thin Celery tasks: they take ids, call a function, and decide nothing else."""

import logging

from celery import shared_task

from notifications import confirmations, delivery, fanout, signup
from notifications.channels.base import DeliveryError
from notifications.models import Notice

log = logging.getLogger(__name__)


@shared_task
def plan_notice(notice_id: int) -> None:
    for first_id, last_id in fanout.plan(notice_id):
        send_batch.delay(notice_id, first_id, last_id)


@shared_task
def send_batch(notice_id: int, first_id: int, last_id: int) -> None:
    delivery.send_batch(notice_id, first_id, last_id)


@shared_task
def dispatch() -> None:
    """Every few seconds: notices nobody planned yet (the queue was down at publish), deliveries
    whose worker died, and retries now due."""
    for notice_id in Notice.objects.filter(state=Notice.State.PENDING).values_list("pk", flat=True):
        plan_notice.delay(notice_id)
    for notice_id, first_id, last_id in delivery.sweep():
        send_batch.delay(notice_id, first_id, last_id)


@shared_task(
    autoretry_for=(DeliveryError,),
    retry_backoff=5,
    retry_jitter=True,
    max_retries=3,
)
def send_confirmation(subscriber_id: int) -> None:
    """Takes an id, never the address or the code: task arguments end up in queues and logs."""
    try:
        confirmations.send(subscriber_id)
    except DeliveryError as e:
        if e.permanent:
            log.warning("confirmation for subscriber %s not sent: %s", subscriber_id, e)
            return
        raise


@shared_task
def forget_unconfirmed() -> None:
    signup.forget_unconfirmed()
