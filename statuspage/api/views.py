"""``/api/v2/``: the Statuspage public API, read-only, cached, open to any origin."""

from django.db.models import Max, Prefetch
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from statuspage.api import shapes
from statuspage.api.problems import read_only
from statuspage.board import page_indicator
from statuspage.models import AffectedComponent, Component, Incident, IncidentUpdate
from statuspage.response_cache import public_cache

RECENT_INCIDENTS = 50


def _with_details(queryset):
    return queryset.prefetch_related(
        Prefetch("components", queryset=Component.objects.select_related("group")),
        Prefetch(
            "updates",
            queryset=IncidentUpdate.objects.prefetch_related(
                Prefetch("affected_components", queryset=AffectedComponent.objects.select_related("component"))
            ),
        ),
    )


def _page():
    updated = [
        Component.objects.aggregate(m=Max("updated_at"))["m"],
        Incident.objects.aggregate(m=Max("updated_at"))["m"],
    ]
    return shapes.page(max((u for u in updated if u), default=None))


def _components() -> list[dict]:
    components = list(Component.objects.select_related("group"))
    children: dict[int, list[str]] = {}
    for c in components:
        if c.group_id:
            children.setdefault(c.group_id, []).append(c.code)
    return [shapes.component(c, children.get(c.pk)) for c in components]


def _status() -> dict:
    level, description = page_indicator()
    return {"indicator": level, "description": description}


def _maintenances(queryset) -> list[dict]:
    return [shapes.incident(m) for m in _with_details(queryset.order_by("scheduled_for"))]


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


def _endpoint(build):
    @read_only
    @public_cache(cors=True)
    def view(request: HttpRequest) -> JsonResponse:
        return _json({"page": _page(), **build()})

    view.__name__ = build.__name__
    return view


@_endpoint
def status():
    return {"status": _status()}


@_endpoint
def summary():
    maintenances = Incident.objects.maintenances().filter(status__in=["scheduled", "in_progress", "verifying"])
    return {
        "components": _components(),
        "incidents": [shapes.incident(i) for i in _with_details(Incident.objects.unresolved())],
        "scheduled_maintenances": _maintenances(maintenances),
        "status": _status(),
    }


@_endpoint
def components():
    return {"components": _components()}


@_endpoint
def incidents():
    recent = _with_details(Incident.objects.incidents())[:RECENT_INCIDENTS]
    return {"incidents": [shapes.incident(i) for i in recent]}


@_endpoint
def unresolved_incidents():
    return {"incidents": [shapes.incident(i) for i in _with_details(Incident.objects.unresolved())]}


@_endpoint
def scheduled_maintenances():
    recent = Incident.objects.maintenances().order_by("-scheduled_for")[:RECENT_INCIDENTS]
    return {"scheduled_maintenances": [shapes.incident(m) for m in _with_details(recent)]}


@_endpoint
def upcoming_maintenances():
    upcoming = Incident.objects.upcoming().filter(scheduled_for__gte=timezone.now())
    return {"scheduled_maintenances": _maintenances(upcoming)}


@_endpoint
def active_maintenances():
    return {"scheduled_maintenances": _maintenances(Incident.objects.active_maintenance())}
