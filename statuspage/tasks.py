"""Celery tasks: thin, idempotent, taking no personal data."""

from celery import shared_task
from django.utils import timezone

from statuspage import maintenance, snapshot


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
