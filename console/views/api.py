"""The console's JSON API, for ops tooling: the same incident, maintenance and sending actions,
with the same roles and audit trail. Bearer tokens are issued per member of staff by an admin.

Every answer is JSON; every refusal an RFC 9457 problem saying what is wrong and where.
"""

from functools import wraps

from django.db.models import Q
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt

from common import strict_json
from console import incidents, sending, staff
from console.forms import DraftForm, MaintenanceForm, NoteForm, UpdateForm
from console.models import Role
from console.notice_templates import UnknownPlaceholder
from notifications import fanout
from notifications.models import Notice
from statuspage.api.problems import allow, problem
from statuspage.models import Component, Incident, IncidentDraft
from statuspage.status import IncidentStatus, MaintenanceStatus

MAX_BODY = 64 * 1024


def api(role: str, *methods: str):
    def decorate(view):
        @csrf_exempt  # no cookies: a bearer token cannot be sent by another site's form
        @allow(*methods)
        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs):
            header = request.headers.get("Authorization", "")
            user = staff.api_user(header[7:].strip()) if header.startswith("Bearer ") else None
            if user is None:
                return problem(
                    401,
                    "Unauthorized",
                    "Send an API token: Authorization: Bearer eps_staff_…",
                    WWW_Authenticate="Bearer",
                )
            member = getattr(user, "staff", None)
            if member is None or not member.can(role):
                return problem(
                    403,
                    "Forbidden",
                    f"This needs the {role} role; the token's owner is {member.role if member else 'not staff'}.",
                )
            request.user, request.staff, request.console_via = user, member, "api"
            if request.method == "POST":
                if len(request.body) > MAX_BODY:
                    return problem(413, "Payload Too Large", f"At most {MAX_BODY} bytes.")
                try:
                    request.json = strict_json.loads(request.body or b"{}")
                except (ValueError, UnicodeDecodeError) as e:
                    return problem(400, "Bad Request", f"The body is not JSON we can read: {e}")
                if not isinstance(request.json, dict):
                    return problem(400, "Bad Request", "The body must be a JSON object.")
                if (where := strict_json.nul_at(request.json)) is not None:
                    return problem(400, "Bad Request", "The body holds a NUL character.", [(where, "holds a NUL")])
            try:
                return view(request, *args, **kwargs)
            except Http404:
                return problem(404, "Not Found", "There is nothing with that code or id.")

        guarded.role = role
        return guarded

    return decorate


def _invalid(form) -> JsonResponse:
    errors = [
        (f"/{name}" if name != "__all__" else "", message)
        for name, messages in form.errors.items()
        for message in messages
    ]
    return problem(422, "Unprocessable Content", "Some fields are not right: see errors.", errors)


def _form_data(body: dict, many: tuple[str, ...]) -> tuple[dict, list[tuple[str, str]]]:
    """JSON to form data: components by code; lists stay lists."""
    data, errors = {}, []
    for key, value in body.items():
        if key == "components":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append(("/components", "A list of component codes"))
                continue
            found = dict(Component.objects.filter(code__in=value).values_list("code", "pk"))
            unknown = [v for v in value if v not in found]
            if unknown:
                errors.append(("/components", f"Unknown component codes: {', '.join(unknown)}"))
            data[key] = [found[v] for v in value if v in found]
        elif key in many:
            data[key] = value if isinstance(value, list) else [value]
        elif isinstance(value, bool):
            data[key] = "on" if value else ""
        elif isinstance(value, str | int | float):
            data[key] = str(value)
        elif value is not None:
            errors.append((f"/{key}", "Must be text, a number or true/false"))
    return data, errors


class _Data(dict):
    """Form data whose lists a Django form can read."""

    def getlist(self, key, default=None):
        if key not in self:
            return [] if default is None else default
        value = self[key]
        return value if isinstance(value, list) else [value]


def incident_json(incident: Incident) -> dict:
    return {
        "code": incident.code,
        "kind": incident.kind,
        "name": incident.name,
        "status": incident.status,
        "impact": incident.impact,
        "components": [c.code for c in incident.components.all()],
        "started_at": incident.started_at,
        "resolved_at": incident.resolved_at,
        "scheduled_for": incident.scheduled_for,
        "scheduled_until": incident.scheduled_until,
        "public_url": incident.shortlink,
        "updates": [{"status": u.status, "body": u.body, "at": u.display_at} for u in incident.updates.all()],
        "sends": [
            {"id": n.pk, "kind": n.kind, "state": n.state, "recipients": n.recipients, **fanout.progress(n.pk)}
            for n in Notice.objects.filter(incident=incident).order_by("created_at")
        ],
    }


def draft_json(draft: IncidentDraft) -> dict:
    return {
        "id": draft.pk,
        "name": draft.name,
        "state": draft.state,
        "maintenance": draft.is_maintenance,
        "components": [c.code for c in draft.components.all()],
        "opened_at": draft.opened_at,
        "incident": draft.incident.code if draft.incident_id else None,
    }


def _save_draft(request, form_class, draft: IncidentDraft) -> tuple[IncidentDraft | None, JsonResponse | None]:
    data, errors = _form_data(request.json, many=("suppliers", "nations"))
    if errors:
        return None, problem(422, "Unprocessable Content", "Some fields are not right: see errors.", errors)
    form = form_class(_Data(data), instance=draft)
    if not form.is_valid():
        return None, _invalid(form)
    return incidents.save_draft(request, draft, form), None


def _draft_and_maybe_publish(request, draft: IncidentDraft, form_class) -> JsonResponse:
    publish = request.json.pop("publish", False) is True
    if publish and not request.staff.can(Role.PUBLISHER):
        return problem(403, "Forbidden", "Publishing needs the publisher role; leave out publish to save a draft.")
    saved, refusal = _save_draft(request, form_class, draft)
    if refusal:
        return refusal
    if not publish:
        return JsonResponse(draft_json(saved), status=201)
    return JsonResponse(incident_json(incidents.publish(request, saved.pk)), status=201)


@api(Role.VIEWER, "GET", "POST")
def incidents_api(request: HttpRequest) -> JsonResponse:
    if request.method == "GET":
        return JsonResponse(
            {
                "drafts": [draft_json(d) for d in IncidentDraft.objects.filter(state=IncidentDraft.State.OPEN)],
                "incidents": [
                    incident_json(i)
                    for i in Incident.objects.filter(~Q(status__in=["resolved", "postmortem", "completed"]))
                ],
            }
        )
    if not request.staff.can(Role.EDITOR):
        return problem(403, "Forbidden", "Drafting needs the editor role.")
    draft = IncidentDraft(professional_guidance=request.json.get("professional_guidance", ""))
    request.json.setdefault("incident_status", "investigating")
    request.json.setdefault("impact", "major")
    request.json.setdefault("component_status", "major_outage")
    return _draft_and_maybe_publish(request, draft, DraftForm)


@api(Role.EDITOR, "POST")
def maintenance_api(request: HttpRequest) -> JsonResponse:
    draft = IncidentDraft(impact="maintenance", component_status="under_maintenance", incident_status="scheduled")
    return _draft_and_maybe_publish(request, draft, MaintenanceForm)


@api(Role.PUBLISHER, "POST")
def draft_publish_api(request: HttpRequest, draft_id: int) -> JsonResponse:
    get_object_or_404(IncidentDraft, pk=draft_id)
    try:
        incident = incidents.publish(request, draft_id)
    except incidents.AlreadyPublished as e:
        return problem(409, "Conflict", f"This draft was already published or dismissed ({e or 'dismissed'}).")
    return JsonResponse(incident_json(incident), status=201)


@api(Role.VIEWER, "GET")
def incident_api(request: HttpRequest, code: str) -> JsonResponse:
    return JsonResponse(incident_json(get_object_or_404(Incident, code=code)))


@api(Role.PUBLISHER, "POST")
def incident_update_api(request: HttpRequest, code: str) -> JsonResponse:
    incident = get_object_or_404(Incident, code=code)
    statuses = MaintenanceStatus.choices if incident.kind == Incident.Kind.MAINTENANCE else IncidentStatus.choices
    data, errors = _form_data(request.json, many=())
    if errors:
        return problem(422, "Unprocessable Content", "Some fields are not right: see errors.", errors)
    form = UpdateForm(_Data(data), statuses=statuses)
    if not form.is_valid():
        return _invalid(form)
    try:
        incidents.update(
            request,
            incident,
            **{k: form.cleaned_data[k] for k in ("status", "body", "component_status", "notify", "body_cy")},
        )
    except UnknownPlaceholder as e:
        return problem(422, "Unprocessable Content", str(e), [("/body", str(e))])
    incident.refresh_from_db()
    return JsonResponse(incident_json(incident), status=201)


@api(Role.EDITOR, "POST")
def incident_note_api(request: HttpRequest, code: str) -> JsonResponse:
    incident = get_object_or_404(Incident, code=code)
    form = NoteForm(_Data(_form_data(request.json, many=())[0]))
    if not form.is_valid():
        return _invalid(form)
    note = incidents.add_note(request, incident, form.cleaned_data["text"])
    return JsonResponse({"id": note.pk, "at": note.at, "text": note.text}, status=201)


@api(Role.VIEWER, "GET")
def send_api(request: HttpRequest, notice_id: int) -> JsonResponse:
    notice = get_object_or_404(Notice, pk=notice_id)
    return JsonResponse(
        {"id": notice.pk, "state": notice.state, "recipients": notice.recipients, **fanout.progress(notice.pk)}
    )


@api(Role.PUBLISHER, "POST")
def send_action_api(request: HttpRequest, notice_id: int, action: str) -> JsonResponse:
    notice = get_object_or_404(Notice.objects.select_related("incident"), pk=notice_id)
    if action not in sending.ACTIONS:
        return problem(404, "Not Found", f"Actions are {', '.join(sending.ACTIONS)}.")
    try:
        words = sending.act(request, notice, action)
    except sending.NotAllowed as e:
        return problem(403, "Forbidden", str(e))
    notice.refresh_from_db()
    return JsonResponse({"id": notice.pk, "state": notice.state, "result": words, **fanout.progress(notice.pk)})
