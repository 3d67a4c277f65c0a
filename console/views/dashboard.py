"""The dashboard: drafts waiting for ops, sends in flight, and every broker's live state."""

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from console import charts, roles
from notifications.models import Notice
from statuspage.models import Broker, Incident, IncidentDraft
from statuspage.status import SEVERITY

# Charts drawn on the dashboard itself, for the worst brokers; the rest are a click away.
CHARTED = 3
ACTIVE_SENDS = (
    Notice.State.HELD,
    Notice.State.PENDING,
    Notice.State.PLANNING,
    Notice.State.SENDING,
    Notice.State.PAUSED,
)


def _brokers():
    worst_first = Case(
        *[When(component__status=s, then=Value(-n)) for s, n in SEVERITY.items()], output_field=IntegerField()
    )
    # Grouped as ops think of them, by nation and then supplier; within a supplier, the least healthy first.
    return (
        Broker.objects.select_related("component", "supplier", "site")
        .annotate(severity=worst_first)
        .order_by("nation", "supplier__name", "severity", "component__name")
    )


@require_safe
@roles.viewer
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    page = Paginator(_brokers(), 100).get_page(request.GET.get("page"))
    unhealthy = [b for b in page.object_list if b.component.status != "operational"][:CHARTED]
    context = {
        "now": now,
        "drafts": IncidentDraft.objects.filter(state=IncidentDraft.State.OPEN)
        .select_related("broker__component")
        .order_by("-opened_at"),
        "recovered": IncidentDraft.objects.filter(
            state=IncidentDraft.State.PUBLISHED, recovered_at__isnull=False, incident__resolved_at__isnull=True
        ).select_related("incident"),
        "sends": Notice.objects.filter(state__in=ACTIVE_SENDS).select_related("incident", "requested_by"),
        "incidents": Incident.objects.unresolved(),
        "maintenance": Incident.objects.maintenances().exclude(status="completed").order_by("scheduled_for"),
        "page": page,
        "charted": [(b, charts.broker_series(b.pk, now)) for b in unhealthy],
    }
    template = "console/dashboard.html#live" if request.htmx else "console/dashboard.html"
    return render(request, template, context)


@require_safe
@roles.viewer
def broker(request: HttpRequest, broker_id: int) -> HttpResponse:
    item = get_object_or_404(Broker.objects.select_related("component", "supplier", "site"), pk=broker_id)
    return render(
        request,
        "console/broker.html",
        {
            "broker": item,
            "charts": charts.broker_series(item.pk),
            "probes": item.probes.all()[:20],
            "tokens": item.tokens.order_by("-created_at"),
            "drafts": item.drafts.order_by("-opened_at")[:10],
        },
    )
