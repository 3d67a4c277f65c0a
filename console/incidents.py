"""What ops do to incidents, each in one transaction with its audit entry."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from console import audit
from console.forms import DraftForm, MaintenanceForm
from console.models import InternalNote
from console.notice_templates import fill
from notifications import fanout, pace
from notifications.audience import brokers_of
from notifications.models import Notice, Subscriber
from notifications.segments import Segments, count
from statuspage import board
from statuspage import language as languages
from statuspage.models import Component, Incident, IncidentDraft
from statuspage.publishing import open_incident, post_update, schedule_maintenance
from statuspage.wording import describe

# What the audit trail keeps of a draft: everything ops can change on it.
DRAFT_FIELDS = sorted(set(DraftForm.Meta.fields) | set(MaintenanceForm.Meta.fields) | {"state"})


def where(components: list[Component]) -> str:
    return describe(brokers_of(components))


def public_text(text: str, components: list[Component], language: str = "en") -> str:
    """The notice with its placeholders filled in, in ``language`` (blank stays blank)."""
    if not text.strip():
        return ""
    with override(languages.code(language)):
        return fill(text, where(components), [c.name for c in components])


@transaction.atomic
def save_draft(request: HttpRequest, draft: IncidentDraft, form) -> IncidentDraft:
    new = draft.pk is None
    before = None if new else audit.snapshot(IncidentDraft.objects.get(pk=draft.pk), DRAFT_FIELDS)
    draft = form.save(commit=False)
    if new:
        draft.opened_at = timezone.now()
    draft.edited_at, draft.edited_by = timezone.now(), request.user
    draft.save()
    draft.components.set(form.cleaned_data["components"])
    audit.record(
        request,
        "draft.create" if new else "draft.edit",
        draft,
        f"{'Started' if new else 'Edited'} draft “{draft.name}”",
        before,
        audit.snapshot(draft, DRAFT_FIELDS),
    )
    return draft


def _open(draft: IncidentDraft, by) -> Incident:
    components = list(draft.components.all())
    if draft.is_maintenance:
        incident = schedule_maintenance(
            draft.name,
            public_text(draft.body, components),
            components,
            draft.scheduled_for,
            draft.scheduled_until,
            notify=draft.notify_in_advance,
            professional_guidance=draft.professional_guidance,
            by=by,
            name_cy=draft.name_cy,
            body_cy=public_text(draft.body_cy, components, "cy"),
        )
    else:
        incident = open_incident(
            draft.name,
            public_text(draft.body, components),
            draft.impact,
            {c: draft.component_status for c in components},
            status=draft.incident_status,
            professional_guidance=draft.professional_guidance,
            by=by,
            name_cy=draft.name_cy,
            body_cy=public_text(draft.body_cy, components, "cy"),
        )
    if draft.internal_notes.strip():
        InternalNote.objects.create(incident=incident, author=by, at=incident.created_at, text=draft.internal_notes)
    return incident


class AlreadyPublished(Exception):
    pass


@transaction.atomic
def publish(request: HttpRequest, draft_id: int) -> Incident:
    draft = IncidentDraft.objects.select_for_update().get(pk=draft_id)
    if draft.state != IncidentDraft.State.OPEN:
        # Published by a colleague (or the holding-notice timer) a moment ago.
        raise AlreadyPublished(draft.incident.code if draft.incident_id else "")
    draft.incident = _open(draft, request.user)
    draft.state = IncidentDraft.State.PUBLISHED
    draft.save(update_fields=["incident", "state"])
    audit.record(
        request,
        "incident.publish",
        draft.incident,
        f"Published “{draft.name}”",
        audit.snapshot(draft, DRAFT_FIELDS),
        audit.snapshot(draft.incident),
        incident=draft.incident,
    )
    return draft.incident


@transaction.atomic
def dismiss(request: HttpRequest, draft_id: int) -> IncidentDraft | None:
    draft = IncidentDraft.objects.select_for_update().filter(pk=draft_id, state=IncidentDraft.State.OPEN).first()
    if draft:
        draft.state = IncidentDraft.State.DISMISSED
        draft.save(update_fields=["state"])
        audit.record(request, "draft.dismiss", draft, f"Dismissed draft “{draft.name}”", after={"state": "dismissed"})
    return draft


@transaction.atomic
def update(
    request: HttpRequest,
    incident: Incident,
    status: str,
    body: str,
    component_status: str,
    notify: bool,
    body_cy: str = "",
):
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    before = audit.snapshot(incident)
    components = list(incident.components.all())
    statuses = {c: component_status for c in components} if component_status else None
    posted = post_update(
        incident,
        status,
        public_text(body, components),
        statuses,
        notify=notify,
        by=request.user,
        body_cy=public_text(body_cy, components, "cy"),
    )
    audit.record(
        request,
        "incident.update",
        incident,
        f"Posted “{posted.get_status_display()}” on “{incident.name}”",
        before,
        {**audit.snapshot(incident), "update": posted.body, "notify": notify},
        incident=incident,
    )
    return posted


@transaction.atomic
def add_note(request: HttpRequest, incident: Incident, text: str) -> InternalNote:
    note = InternalNote.objects.create(incident=incident, author=request.user, at=timezone.now(), text=text)
    audit.record(
        request, "incident.note", note, f"Internal note on “{incident.name}”", after={"text": text}, incident=incident
    )
    return note


@dataclass
class Preview:
    incident: Incident
    public_page: str
    notice: Notice | None
    segments: Segments | None
    sms_recipients: int
    email_recipients: int
    # Of the texts, those to people who chose Welsh, and what the Welsh text costs (UCS-2).
    welsh_sms_recipients: int
    welsh_segments: Segments | None

    @property
    def english_sms_recipients(self) -> int:
        return self.sms_recipients - self.welsh_sms_recipients

    cost: float
    needs_second_publisher: bool
    # How long the texts take to reach everyone at the provider's rate, and that rate, in words.
    reach_time: str = ""
    rate: str = ""


class _RollBack(Exception):
    pass


def preview(request: HttpRequest, draft: IncidentDraft) -> Preview:
    """Publish the draft for real inside a transaction that is then rolled back, so the page,
    the text and the audience are exactly what publishing would make, and nothing is kept."""
    result: Preview | None = None
    try:
        with transaction.atomic():
            incident = _open(draft, by=None)
            item = board.with_updates(Incident.objects.all()).get(pk=incident.pk)
            page = render_to_string("statuspage/incident.html", {"incident": item, "preview": True}, request=request)
            notice = Notice.objects.filter(incident=incident).first()
            by_channel = {"sms": 0, "email": 0}
            welsh_texts = 0
            segments = welsh_segments = None
            if notice:
                reached = fanout.reached(notice, timezone.now())
                for row in (
                    Subscriber.objects.filter(pk__in=reached)
                    .values("channel", "language")
                    .order_by()
                    .annotate(n=Count("id"))
                ):
                    by_channel[row["channel"]] += row["n"]
                    if row["channel"] == "sms" and row["language"] == "cy":
                        welsh_texts += row["n"]
                segments, welsh_segments = count(notice.sms_body), count(notice.sms_body_cy)
                notice = Notice(
                    kind=notice.kind,
                    sms_body=notice.sms_body,
                    email_subject=notice.email_subject,
                    email_body=notice.email_body,
                    sms_body_cy=notice.sms_body_cy,
                )
            total = by_channel["sms"] + by_channel["email"]
            english_texts = by_channel["sms"] - welsh_texts
            segments_sent = english_texts * (segments.count if segments else 0) + welsh_texts * (
                welsh_segments.count if welsh_segments else 0
            )
            result = Preview(
                incident=Incident(name=incident.name, code=incident.code),
                public_page=page,
                notice=notice,
                segments=segments,
                sms_recipients=by_channel["sms"],
                email_recipients=by_channel["email"],
                welsh_sms_recipients=welsh_texts,
                welsh_segments=welsh_segments,
                cost=segments_sent * settings.SMS_SEGMENT_PRICE_GBP,
                needs_second_publisher=total > settings.TWO_PERSON_RULE_RECIPIENTS,
                reach_time=pace.describe(
                    pace.seconds_to_reach(by_channel["sms"], segments_sent, settings.SMS_PER_SECOND)
                ),
                rate=pace.rate(settings.SMS_PER_SECOND),
            )
            raise _RollBack
    except _RollBack:
        pass
    return result
