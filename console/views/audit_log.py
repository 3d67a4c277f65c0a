"""The audit trail: filter, read, export as CSV; and an incident's report skeleton."""

import csv
from datetime import datetime, time

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from console import report, roles
from console.models import AuditEntry
from statuspage.models import Incident

COLUMNS = [
    "at",
    "username",
    "action",
    "object_type",
    "object_id",
    "summary",
    "before",
    "after",
    "source_address",
    "via",
]


class AuditFilter(forms.Form):
    user = forms.CharField(required=False, label="Username")
    action = forms.CharField(required=False, help_text="e.g. incident.publish, or incident. for all")
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def entries(self):
        found = AuditEntry.objects.all()
        if not self.is_valid():
            return found.none()
        data = self.cleaned_data
        if data["user"]:
            found = found.filter(username__iexact=data["user"].strip())
        if data["action"]:
            found = found.filter(action__startswith=data["action"].strip())
        zone = timezone.get_current_timezone()
        if data["since"]:
            found = found.filter(at__gte=datetime.combine(data["since"], time.min, zone))
        if data["until"]:
            found = found.filter(at__lte=datetime.combine(data["until"], time.max, zone))
        return found


@require_safe
@roles.viewer
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilter(request.GET or None)
    entries = form.entries() if request.GET else AuditEntry.objects.all()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "console/audit.html#results" if request.htmx else "console/audit.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


class _Echo:
    def write(self, value):
        return value


def _csv_safe(value) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: keep it text.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@require_safe
@roles.viewer
def audit_csv(request: HttpRequest) -> StreamingHttpResponse:
    form = AuditFilter(request.GET or None)
    entries = form.entries() if request.GET else AuditEntry.objects.all()
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(COLUMNS)
        for e in entries.iterator(chunk_size=2000):
            yield writer.writerow([_csv_safe(getattr(e, c)) for c in COLUMNS])

    return StreamingHttpResponse(
        rows(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="eps-status-audit-{timezone.now():%Y%m%d-%H%M}.csv"'},
    )


@require_safe
@roles.viewer
def incident_report(request: HttpRequest, code: str) -> HttpResponse:
    incident = get_object_or_404(Incident, code=code)
    return HttpResponse(
        report.markdown(incident),
        content_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="incident-{incident.code}-report.md"'},
    )
