"""One id per request, carried from nginx (X-Request-Id) through the view, every task it queues, and
every provider call those tasks make, so one grep of the logs follows a change from the edge to a
patient's text. Tasks beat starts get their task id as theirs, and pass it on the same way.
"""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

# What nginx's $request_id looks like (32 hex), or a UUID from a load balancer: anything else a
# caller sends is replaced, so a log line can never be made to carry someone's text.
WELL_FORMED = re.compile(r"^[A-Za-z0-9-]{8,64}$")
HEADER = "request_id"  # the Celery message header

current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def new() -> str:
    return uuid.uuid4().hex


def accept(given: str | None) -> str:
    return given if given and WELL_FORMED.match(given) else new()


class RequestIdMiddleware:
    """First in the chain: every log line a request causes carries its id; the answer says it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        # Kept until the answer is sent (request_finished below), not only while the middleware runs:
        # Django logs a 4xx or 5xx ("Not Found: ...") after every middleware has returned.
        current.set(accept(request.headers.get("X-Request-Id")))
        response = self.get_response(request)
        response["X-Request-Id"] = current.get()
        return response


@receiver(request_finished)
def _forget(**_) -> None:
    current.set("")


class RequestIdFilter(logging.Filter):
    """Puts the current id on every record (empty outside any request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get()
        return True
