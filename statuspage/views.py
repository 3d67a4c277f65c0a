"""The public status pages. Each serves the whole page, or its live part to htmx."""

from itertools import groupby

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import dateformat, timezone
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

from statuspage import board, pipeline
from statuspage.api.problems import problem
from statuspage.models import Component, Incident
from statuspage.response_cache import public_cache
from statuspage.uptime import HISTORY_DAYS


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    if request.htmx:
        template += "#live"
    return render(request, template, context)


@require_safe
@public_cache()
def index(request: HttpRequest) -> HttpResponse:
    return _render(request, "statuspage/index.html", board.board())


@require_safe
@public_cache()
def incident(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(board.with_updates(Incident.objects.all()), code=code)
    return _render(request, "statuspage/incident.html", {"incident": item})


@require_safe
@public_cache()
def component(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Component.objects.select_related("group", "broker__supplier"), slug=slug)
    now = timezone.now()
    days = board.uptime_for([item], now)[item.pk]
    children = list(item.children.all()) if item.is_group else []
    incidents = Incident.objects.filter(components__in=[item, *children]).distinct()[:20]
    return _render(
        request,
        "statuspage/component.html",
        {
            "component": item,
            "children": children,
            "row": board.Row(component=item, days=days),
            "incidents": incidents,
            "delays": board.delays(now, [item]),
        },
    )


@require_safe
@public_cache()
def history(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - timezone.timedelta(days=HISTORY_DAYS)
    items = list(Incident.objects.filter(started_at__gte=since).prefetch_related("components"))
    months = [
        (month, list(group))
        # dateformat, not strftime: month names in the reader's language (Ionawr 2026 on /cy/history/).
        for month, group in groupby(items, key=lambda i: dateformat.format(timezone.localtime(i.started_at), "F Y"))
    ]
    return _render(request, "statuspage/history.html", {"months": months, "days": HISTORY_DAYS})


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 when this node can reach its database, else 503. Either way the body
    names each dependency that is down, the shared cache included (without it the node still serves)."""
    down = [
        name
        for name, error in (("database", pipeline.database_error()), ("cache", pipeline.cache_error()))
        if error is not None
    ]
    body = "ok" if not down else "\n".join(f"{name} unreachable" for name in down)
    status = 503 if "database" in down else 200
    return HttpResponse(body, status=status, content_type="text/plain", headers={"Cache-Control": "no-store"})


@require_safe
def pipeline_health(request: HttpRequest) -> JsonResponse:
    """For an outside uptime check: 503 when we have stopped watching (see pipeline.py)."""
    healthy, parts = pipeline.report(timezone.now())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", **parts},
        status=200 if healthy else 503,
        headers={"Cache-Control": "no-store"},
    )


def not_found(request: HttpRequest, exception) -> HttpResponse:
    """APIs answer in JSON even for a path that does not exist; people get the page."""
    if request.path.startswith(("/api/", "/console/api/")):
        return problem(404, "Not Found", f"There is nothing at {request.path}.")
    return page_not_found(request, exception)
