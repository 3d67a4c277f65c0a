"""Pausing, resuming, cancelling and approving a fan-out, each with its audit entry."""

from django.db import transaction
from django.http import HttpRequest

from console import audit
from notifications import fanout, outbox
from notifications.models import Notice

ACTIONS = ("pause", "resume", "cancel", "approve")


class NotAllowed(Exception):
    pass


@transaction.atomic
def act(request: HttpRequest, notice: Notice, action: str) -> str:
    """Do ``action``; returns what happened, in words. Raises NotAllowed for the two-person rule."""
    before = {"state": notice.state}
    if action == "pause":
        done = fanout.pause(notice.pk)
        words = "Paused" if done else "It was not sending, so there was nothing to pause"
    elif action == "resume":
        done = fanout.resume(notice.pk)
        words = "Sending again" if done else "It was not paused"
    elif action == "cancel":
        cancelled = fanout.cancel(notice.pk)
        done = True
        words = f"Cancelled: {cancelled:,} messages will not be sent"
    elif action == "approve":
        if getattr(request, "console_via", "console") != "console" or not request.user.is_verified():
            # The second person must be a person: signed in here with their own authenticator, not
            # a token that could be held by the same hands that sent it.
            raise NotAllowed("Approve in the console, signed in with your authenticator app: an API token cannot.")
        try:
            done = outbox.approve(notice.pk, request.user)
        except outbox.SamePerson as e:
            raise NotAllowed(str(e)) from None
        words = "Approved: sending starts now" if done else "It was not waiting for approval"
    else:
        raise NotAllowed(f"Unknown action {action!r}")
    notice.refresh_from_db(fields=["state"])
    if done:
        audit.record(
            request,
            f"send.{action}",
            notice,
            f"{words} ({notice.get_kind_display()} for “{notice.incident.name}”)",
            before,
            {"state": notice.state},
            incident=notice.incident,
        )
    return words
