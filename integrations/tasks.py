"""Thin tasks: ids in, a function called, nothing else decided here."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from integrations import delivery, endpoints
from integrations.models import Delivery, Endpoint

# Posts run WEBHOOKS_IN_FLIGHT at a time, each within WEBHOOK_DEADLINE_SECONDS.
POST_LIMITS = {
    "soft_time_limit": 4 * settings.WEBHOOK_DEADLINE_SECONDS + 30,
    "time_limit": 4 * settings.WEBHOOK_DEADLINE_SECONDS + 60,
}


def _deliver(delivery_ids: list[int]) -> dict[int, str]:
    outcome = delivery.deliver_many(delivery_ids)
    # Each switch-off is committed by now: its owner hears of it once.
    switched_off = [pk for pk, result in outcome.items() if result == "disabled"]
    for endpoint_id in Delivery.objects.filter(pk__in=switched_off).values_list("endpoint_id", flat=True).distinct():
        tell_disabled.delay(endpoint_id)
    return outcome


@shared_task(**POST_LIMITS)
def deliver(delivery_id: int) -> str:
    return _deliver([delivery_id]).get(delivery_id, "not due")


@shared_task(**POST_LIMITS)
def deliver_many(delivery_ids: list[int]) -> None:
    _deliver(delivery_ids)


@shared_task
def retry_due() -> None:
    """Every 15 s: what is due goes out in groups, each group's posts at once."""
    due = delivery.due()
    size = settings.WEBHOOKS_IN_FLIGHT
    for i in range(0, len(due), size):
        deliver_many.delay(due[i : i + size])


# A mail server that is briefly away must not lose a confirmation or a warning.
EMAIL_RETRIES = {"autoretry_for": (OSError,), "retry_backoff": 5, "retry_jitter": True, "max_retries": 5}


@shared_task(**EMAIL_RETRIES)
def send_confirmation(endpoint_id: int) -> None:
    endpoint = Endpoint.objects.filter(pk=endpoint_id, state=Endpoint.State.PENDING).first()
    if endpoint is None:
        return
    link = f"{settings.SITE_URL}/webhooks/confirm/{endpoints.confirm_token(endpoint)}/"
    # Nothing the registrant typed is in this email: the form is open to anyone, and must not be a
    # way to send their words (or their link) to any address from an NHS sender.
    send_mail(
        "Confirm your EPS Status webhook",
        "Someone, hopefully you, asked EPS Status to send webhooks about prescription service status, "
        "and gave this email address as the contact.\n\n"
        f"To see the address they gave, confirm it and get the signing secret, open this link within 24 hours:\n"
        f"{link}\n\nIf it was not you, ignore this email: nothing will be sent.",
        None,
        [endpoint.contact],
    )


@shared_task(**EMAIL_RETRIES)
def tell_disabled(endpoint_id: int) -> None:
    endpoint = Endpoint.objects.filter(pk=endpoint_id, state=Endpoint.State.DISABLED).first()
    if endpoint is None:
        return
    send_mail(
        "Your EPS Status webhook has been switched off",
        f"We stopped sending webhooks to {endpoint.url}: {endpoint.disabled_reason}\n\n"
        f"See what failed and switch it back on here:\n{endpoints.manage_url(endpoint)}",
        None,
        [endpoint.contact],
    )
