"""The framework ceiling: a trivial view that returns the very bytes the real view would
(read from the snapshot once, on first use), under the same middleware stack."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path

FILES = {
    "index": ("index.html", "text/html; charset=utf-8"),
    "summary": ("api/v2/summary.json", "application/json"),
}


@cache
def _body(name: str) -> bytes:
    return (Path(settings.SNAPSHOT_DIR) / FILES[name][0]).read_bytes()


def ceiling(request, name: str) -> HttpResponse:
    return HttpResponse(_body(name), content_type=FILES[name][1])


urlpatterns = [
    path("__ceiling__/<str:name>", ceiling),
    path("", include("statuspage.urls")),
]
