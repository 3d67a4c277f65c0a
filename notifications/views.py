from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from notifications.models import OutboxMessage


@require_safe
def outbox(request: HttpRequest) -> HttpResponse:
    """The development outbox: every text the outbox backend would have sent."""
    if settings.SMS_BACKEND != "outbox":
        raise Http404("The development outbox is only there when SMS_BACKEND is 'outbox'.")
    messages = OutboxMessage.objects.all()[:100]
    response = render(request, "notifications/outbox.html", {"messages": messages})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
