"""Incidents: drafts (probe-opened or from scratch), preview, publish, updates and notes."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from console import incidents, notice_templates, roles
from console.forms import OPEN_STATUSES, DraftForm, MaintenanceForm, NoteForm, UpdateForm
from console.models import InternalNote
from console.notice_templates import PLACEHOLDERS, TEMPLATES, UnknownPlaceholder
from console.security import FRAMEABLE
from notifications import fanout
from notifications.models import Notice
from statuspage.models import Incident, IncidentDraft
from statuspage.status import IncidentStatus, MaintenanceStatus
from statuspage.wording import PROFESSIONAL_GUIDANCE


@require_safe
@roles.viewer
def incident_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "console/incidents.html",
        {
            "drafts": IncidentDraft.objects.filter(state=IncidentDraft.State.OPEN, scheduled_for__isnull=True),
            "incidents": Incident.objects.incidents().prefetch_related("components")[:50],
        },
    )


@require_safe
@roles.viewer
def maintenance_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "console/maintenance.html",
        {
            "drafts": IncidentDraft.objects.filter(state=IncidentDraft.State.OPEN, scheduled_for__isnull=False),
            "upcoming": Incident.objects.maintenances().exclude(status="completed").order_by("scheduled_for"),
            "past": Incident.objects.maintenances().filter(status="completed").order_by("-scheduled_for")[:20],
        },
    )


def _draft_page(request, form, draft, status=200):
    return render(
        request,
        "console/draft.html",
        {
            "form": form,
            "draft": draft,
            "maintenance": isinstance(form, MaintenanceForm),
            "templates": TEMPLATES,
            "placeholders": PLACEHOLDERS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@roles.editor
def draft_new(request: HttpRequest) -> HttpResponse:
    draft = IncidentDraft(
        body=TEMPLATES["investigating"][1], professional_guidance=PROFESSIONAL_GUIDANCE, impact="major"
    )
    return _edit(request, draft, DraftForm)


@require_http_methods(["GET", "POST"])
@roles.editor
def maintenance_new(request: HttpRequest) -> HttpResponse:
    draft = IncidentDraft(
        body=TEMPLATES["maintenance"][1],
        impact="maintenance",
        component_status="under_maintenance",
        incident_status="scheduled",
    )
    return _edit(request, draft, MaintenanceForm)


@require_http_methods(["GET", "POST"])
@roles.editor
def draft_edit(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = get_object_or_404(IncidentDraft, pk=draft_id)
    if draft.state != IncidentDraft.State.OPEN:
        messages.info(request, "That draft was already published or dismissed.")
        return redirect(draft.incident.get_console_url() if draft.incident_id else "console:incidents")
    return _edit(request, draft, MaintenanceForm if draft.is_maintenance else DraftForm)


def _edit(request: HttpRequest, draft: IncidentDraft, form_class) -> HttpResponse:
    initial = {}
    if draft.pk:
        initial["components"] = list(draft.components.all())
        initial["component_status"] = {"not_reporting": "degraded_performance"}.get(
            draft.component_status, draft.component_status
        )
    if request.method == "GET":
        return _draft_page(request, form_class(instance=draft, initial=initial), draft)
    data = request.POST.copy()
    if "use_template" in data:
        # Start the notice again from a template: nothing is saved until "Save draft".
        stages = {v for v, _label in OPEN_STATUSES}
        notice_templates.apply(data.get("template", ""), data, "incident_status", stages)
        form = form_class(data, instance=draft)
        form.errors.clear()
        return _draft_page(request, form, draft)
    form = form_class(data, instance=draft, initial=initial)
    if not form.is_valid():
        return _draft_page(request, form, draft, status=400)
    saved = incidents.save_draft(request, draft, form)
    return redirect("console:draft-preview", saved.pk)


@require_safe
@roles.viewer
def draft_preview(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = get_object_or_404(IncidentDraft, pk=draft_id)
    if draft.state != IncidentDraft.State.OPEN:
        return redirect("console:draft-edit", draft.pk)
    try:
        shown = incidents.preview(request, draft)
    except UnknownPlaceholder as e:
        messages.error(request, str(e))
        return redirect("console:draft-edit", draft.pk)
    return render(request, "console/preview.html", {"draft": draft, "preview": shown})


@xframe_options_sameorigin
@require_safe
@roles.viewer
def draft_preview_page(request: HttpRequest, draft_id: int) -> HttpResponse:
    """The public page exactly as publishing would make it, shown in a frame on the preview."""
    draft = get_object_or_404(IncidentDraft, pk=draft_id, state=IncidentDraft.State.OPEN)
    response = HttpResponse(incidents.preview(request, draft).public_page)
    response["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
        f"font-src 'self' https://assets.nhs.uk; form-action 'none'; base-uri 'none'; {FRAMEABLE}"
    )
    return response


@require_POST
@roles.publisher
def draft_publish(request: HttpRequest, draft_id: int) -> HttpResponse:
    try:
        incident = incidents.publish(request, draft_id)
    except incidents.AlreadyPublished:
        messages.warning(request, "Someone published this draft a moment ago: here it is.")
        draft = get_object_or_404(IncidentDraft, pk=draft_id)
        return redirect("console:incident", draft.incident.code) if draft.incident_id else redirect("console:dashboard")
    except IncidentDraft.DoesNotExist:
        return redirect("console:dashboard")
    messages.success(request, f"Published “{incident.name}”.")
    return redirect("console:incident", incident.code)


@require_POST
@roles.editor
def draft_dismiss(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = incidents.dismiss(request, draft_id)
    if draft:
        messages.success(request, f"Dismissed “{draft.name}”. Nothing was published.")
    return redirect("console:dashboard")


def _statuses(incident: Incident):
    return MaintenanceStatus.choices if incident.kind == Incident.Kind.MAINTENANCE else IncidentStatus.choices


@require_safe
@roles.viewer
def incident_detail(request: HttpRequest, code: str) -> HttpResponse:
    incident = get_object_or_404(Incident.objects.prefetch_related("components", "updates"), code=code)
    return _incident_page(request, incident, UpdateForm(statuses=_statuses(incident)), NoteForm())


def _incident_page(request, incident, update_form, note_form, status=200):
    return render(
        request,
        "console/incident.html",
        {
            "incident": incident,
            "update_form": update_form,
            "note_form": note_form,
            "notes": InternalNote.objects.filter(incident=incident).select_related("author"),
            "sends": [
                (n, fanout.progress(n.pk)) for n in Notice.objects.filter(incident=incident).order_by("-created_at")
            ],
            "templates": TEMPLATES,
        },
        status=status,
    )


@require_POST
@roles.publisher
def incident_update(request: HttpRequest, code: str) -> HttpResponse:
    incident = get_object_or_404(Incident, code=code)
    data = request.POST.copy()
    stages = {v for v, _label in _statuses(incident)}
    if "use_template" in data and notice_templates.apply(data.get("template", ""), data, "status", stages):
        form = UpdateForm(data, statuses=_statuses(incident))
        form.errors.clear()
        return _incident_page(request, incident, form, NoteForm())
    form = UpdateForm(data, statuses=_statuses(incident))
    if not form.is_valid():
        return _incident_page(request, incident, form, NoteForm(), status=400)
    incidents.update(
        request,
        incident,
        form.cleaned_data["status"],
        form.cleaned_data["body"],
        form.cleaned_data["component_status"],
        form.cleaned_data["notify"],
        form.cleaned_data["body_cy"],
    )
    messages.success(request, "Update published.")
    return redirect("console:incident", incident.code)


@require_POST
@roles.editor
def incident_note(request: HttpRequest, code: str) -> HttpResponse:
    incident = get_object_or_404(Incident, code=code)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _incident_page(request, incident, UpdateForm(statuses=_statuses(incident)), form, status=400)
    incidents.add_note(request, incident, form.cleaned_data["text"])
    messages.success(request, "Note added. It is never shown publicly.")
    return redirect("console:incident", incident.code)
