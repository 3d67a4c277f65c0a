"""Live progress of each fan-out, and pause, resume, cancel and the second publisher's approval."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseStopPolling

from console import roles, sending
from notifications import fanout, pace
from notifications.models import Notice
from notifications.segments import count

FINISHED = (Notice.State.DONE, Notice.State.CANCELLED)


@require_safe
@roles.viewer
def send_list(request: HttpRequest) -> HttpResponse:
    notices = Notice.objects.select_related("incident", "requested_by", "approved_by").order_by("-created_at")[:50]
    context = {
        "sends": [(n, fanout.progress(n.pk)) for n in notices],
        "active": any(n.state not in (Notice.State.DONE, Notice.State.CANCELLED) for n in notices),
        "now": timezone.now(),
    }
    return render(request, "console/sends.html" + ("#live" if request.htmx else ""), context)


def _projected_finish(notice: Notice, progress: dict[str, int]) -> dict | None:
    """When the texts still waiting will have gone, at the provider's rate: while it is sending."""
    waiting = progress["pending"] + progress["sending"]
    if notice.state not in (Notice.State.PLANNING, Notice.State.SENDING) or not waiting:
        return None
    seconds = pace.seconds_to_reach(waiting, waiting * count(notice.sms_body).count, settings.SMS_PER_SECOND)
    return {
        "at": timezone.now() + timedelta(seconds=seconds),
        "in": pace.describe(seconds),
        "rate": pace.rate(settings.SMS_PER_SECOND),
    }


@require_safe
@roles.viewer
def send_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.select_related("incident", "requested_by", "approved_by"), pk=notice_id)
    progress = fanout.progress(notice.pk)
    context = {"notice": notice, "progress": progress, "finish": _projected_finish(notice, progress)}
    if request.htmx:
        response = render(request, "console/send.html#progress", context)
        if notice.state in FINISHED:
            # Nothing more will change: the fragment carries the final figures and stops polling.
            response.status_code = HttpResponseStopPolling.status_code
        return response
    return render(request, "console/send.html", context)


@require_POST
@roles.publisher
def send_action(request: HttpRequest, notice_id: int, action: str) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.select_related("incident"), pk=notice_id)
    try:
        words = sending.act(request, notice, action)
    except sending.NotAllowed as e:
        messages.error(request, str(e))
        return redirect("console:send", notice.pk)
    messages.success(request, words)
    return redirect("console:send", notice.pk)
