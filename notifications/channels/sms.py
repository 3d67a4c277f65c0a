"""SMS: the backend is chosen by the ``SMS_BACKEND`` setting."""

import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from notifications.channels.base import Channel
from notifications.models import OutboxMessage


def mask(number: str) -> str:
    """+447700900123 -> +447••••••123: enough to tell test numbers apart, no more."""
    if len(number) <= 7:
        return "•" * len(number)
    return number[:4] + "•" * (len(number) - 7) + number[-3:]


class OutboxSms:
    """Development backend: texts land in a table that /dev/outbox/ shows."""

    def send(self, to: str, body: str) -> str:
        OutboxMessage.objects.create(to_masked=mask(to), body=body)
        return f"outbox-{uuid.uuid4()}"


BACKENDS: dict[str, type] = {"outbox": OutboxSms}


def sms_channel() -> Channel:
    try:
        return BACKENDS[settings.SMS_BACKEND]()
    except KeyError:
        raise ImproperlyConfigured(
            f"SMS_BACKEND={settings.SMS_BACKEND!r} is not one of: {', '.join(sorted(BACKENDS))}"
        ) from None
