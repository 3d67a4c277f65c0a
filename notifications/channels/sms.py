"""SMS: the backend is chosen by the ``SMS_BACKEND`` setting ("twilio" or, on a laptop, "outbox")."""

import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from notifications.channels.base import Channel, Message
from notifications.channels.twilio_sms import TwilioSms
from notifications.models import OutboxMessage
from notifications.phones import mask


class OutboxSms(Channel):
    """Development backend: texts land in a table that /dev/outbox/ shows."""

    def send(self, message: Message, unconfirmed_since: datetime | None = None) -> str:
        OutboxMessage.objects.create(to_masked=mask(message.to), body=message.body)
        return f"outbox-{uuid.uuid4()}"


BACKENDS: dict[str, type[Channel]] = {"outbox": OutboxSms, "twilio": TwilioSms}


def sms_channel() -> Channel:
    try:
        return BACKENDS[settings.SMS_BACKEND]()
    except KeyError:
        raise ImproperlyConfigured(
            f"SMS_BACKEND={settings.SMS_BACKEND!r} is not one of: {', '.join(sorted(BACKENDS))}"
        ) from None
