"""The framework ceiling: a trivial view that returns the very bytes the real view would
(read from the snapshot once, on first use), under the same middleware stack."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config import urls as site_urls

FILES = {
    "index": ("index.html", "text/html; charset=utf-8"),
    "summary": ("api/v2/summary.json", "application/json"),
    # Not in the snapshot (one answer per pharmacy): bench/run saves the live answer here first.
    "advice": ("bench-advice.json", "application/json"),
}


@cache
def _body(name: str) -> bytes:
    return (Path(settings.SNAPSHOT_DIR) / FILES[name][0]).read_bytes()


def ceiling(request, name: str) -> HttpResponse:
    return HttpResponse(_body(name), content_type=FILES[name][1])


@csrf_exempt
def empty(request) -> JsonResponse:
    """The ingest ceiling: reads the body and answers 202, storing nothing."""
    request.body  # noqa: B018  (read it, as the real endpoint does)
    return JsonResponse({}, status=202)


# The site's own patterns beside the ceilings, not include()d: its Welsh pages use i18n_patterns,
# which Django allows only in the root URLconf.
urlpatterns = [
    path("__ceiling__/empty", empty),
    path("__ceiling__/<str:name>", ceiling),
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404
