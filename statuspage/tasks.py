"""Celery tasks: thin, idempotent, taking no personal data."""

from celery import shared_task
from django.utils import timezone

from statuspage import maintenance, snapshot
from statuspage.models import Vital


@shared_task(autoretry_for=(OSError,), retry_backoff=5, max_retries=3)
def write_snapshot() -> bool:
    """After a change: rewrite the static snapshot if it is behind."""
    return snapshot.write()


@shared_task
def refresh_snapshot() -> bool:
    """Every minute: rewrite it anyway, as uptime and 'last checked' move with the clock."""
    return snapshot.write(force=True)


@shared_task
def advance_maintenance() -> int:
    """Every 15 s: scheduled maintenance starts and completes at its times."""
    return maintenance.advance(timezone.now())


@shared_task(ignore_result=True)
def heartbeat(pool: str) -> None:
    """Every 15 s, sent by beat to each worker pool's queue: the pool that runs it is alive, and so is beat."""
    Vital.objects.update_or_create(name=f"pool:{pool}", defaults={"at": timezone.now()})
