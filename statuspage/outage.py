"""When our own shared cache or queue (Redis) is away, a request that needs it gets a clear page or a
JSON 503 that says to try again, never a 500. Sign-up refuses rather than send texts it cannot count."""

import logging
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

from common.dependencies import DOWN
from statuspage.last_good import unavailable

log = logging.getLogger(__name__)


def unavailable_while_down(view: Callable) -> Callable:
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DOWN as e:
            log.warning("%s answered 503: %s is unreachable", request.path, type(e).__name__)
            return unavailable(request)

    return guarded
