from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from notifications.models import OutboxMessage
from notifications.phones import mask

LOCAL = {"127.0.0.1", "localhost", "::1"}


def _fake_twilio_messages() -> list[dict]:
    """What the local fake Twilio accepted, newest first, numbers masked."""
    answer = requests.get(settings.TWILIO_API_BASE_URL.rstrip("/") + "/_fake/messages", timeout=2)
    answer.raise_for_status()
    return [
        {"to_masked": mask(m["to"]), "body": m["body"], "created_at": parsedate_to_datetime(m["date_created"])}
        for m in reversed(answer.json()[-100:])
    ]


@require_safe
def outbox(request: HttpRequest) -> HttpResponse:
    """The development outbox: every text the demo sent, from the outbox table or the local fake Twilio.
    Never with DEBUG off: it shows sign-up codes to whoever asks."""
    if not settings.DEBUG:
        raise Http404("The development outbox is only on a laptop.")
    if settings.SMS_BACKEND == "outbox":
        messages, source = OutboxMessage.objects.all()[:100], "the development outbox"
    elif settings.SMS_BACKEND == "twilio" and urlsplit(settings.TWILIO_API_BASE_URL).hostname in LOCAL:
        try:
            messages, source = _fake_twilio_messages(), "the fake Twilio at " + settings.TWILIO_API_BASE_URL
        except (requests.RequestException, ValueError):
            messages, source = [], "the fake Twilio, which is not answering"
    else:
        raise Http404("The development outbox is only there when texts stay on this machine.")
    response = render(request, "notifications/outbox.html", {"messages": messages, "source": source})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
