"""The report skeleton a supplier owes after a serious incident: timeline, probe evidence,
every public update, and every send with its delivery figures. Markdown, to paste and complete."""

from django.utils import timezone

from console.models import AuditEntry, InternalNote
from notifications import fanout
from notifications.models import Notice
from statuspage.models import IncidentDraft, Probe, StatusChange

EVIDENCE_ROWS = 200


def _t(at) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M:%S}" if at else "-"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def markdown(incident) -> str:
    components = list(incident.components.all())
    drafts = list(IncidentDraft.objects.filter(incident=incident))
    start = min([incident.started_at, *[d.opened_at for d in drafts]])
    end = incident.resolved_at or timezone.now()
    lines = [
        f"# Incident report: {incident.name}",
        "",
        f"- Reference: {incident.code}",
        f"- Impact: {incident.impact}; status: {incident.get_status_display()}",
        f"- Started: {_t(incident.started_at)}; resolved: {_t(incident.resolved_at)}",
        f"- Systems affected: {', '.join(c.name for c in components) or 'none'}",
        f"- Generated: {_t(timezone.now())}",
        "",
        "## Summary (to complete)",
        "",
        "What happened, who was affected, the root cause, and what will stop it happening again.",
        "",
        "## Timeline",
        "",
        "| Time | Event |",
        "| --- | --- |",
    ]
    events = []
    for d in drafts:
        events.append((d.opened_at, f"Probes opened a draft: {d.name}"))
    for c in StatusChange.objects.filter(component__in=components, at__gte=start, at__lte=end).select_related(
        "component"
    ):
        events.append((c.at, f"{c.component.name}: {c.previous_status or '-'} -> {c.status} ({c.cause})"))
    for u in incident.updates.all():
        events.append((u.display_at, f"Public update ({u.get_status_display()})"))
    for n in InternalNote.objects.filter(incident=incident).select_related("author"):
        events.append((n.at, f"Internal note by {n.author or 'system'}: {n.text}"))
    for a in AuditEntry.objects.filter(incident=incident):
        events.append((a.at, f"{a.username}: {a.summary}"))
    lines += [f"| {_t(at)} | {_cell(text)} |" for at, text in sorted(events, key=lambda e: e[0])]
    lines += ["", "## Probe evidence", ""]
    for d in drafts:
        if d.evidence:
            lines += [f"Draft evidence for {d.name}:", "", "```", d.evidence, "```", ""]
    probes = (
        Probe.objects.filter(broker__component__in=components, received_at__gte=start, received_at__lte=end)
        .exclude(verdict="operational")
        .select_related("broker__component")
        .order_by("received_at")[:EVIDENCE_ROWS]
    )
    lines += ["| Received | Broker | Verdict | Reason |", "| --- | --- | --- | --- |"]
    lines += [f"| {_t(p.received_at)} | {_cell(p.broker)} | {p.verdict} | {_cell(p.reason)} |" for p in probes]
    lines += ["", f"(First {EVIDENCE_ROWS} probes that were not healthy, from the start to the end.)", ""]
    lines += ["## Public updates", ""]
    for u in sorted(incident.updates.all(), key=lambda u: u.display_at):
        lines += [f"### {_t(u.display_at)} - {u.get_status_display()}", "", u.body, ""]
    if incident.professional_guidance:
        lines += ["## Guidance given to GP practices and pharmacies", "", incident.professional_guidance, ""]
    lines += [
        "## Texts and emails sent",
        "",
        "| Published | Kind | State | Planned | Sent | Delivered | Failed | Approved by |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n in Notice.objects.filter(incident=incident).select_related("approved_by").order_by("created_at"):
        p = fanout.progress(n.pk)
        lines.append(
            f"| {_t(n.created_at)} | {n.get_kind_display()} | {n.get_state_display()} | {p['planned']} | "
            f"{p['sent'] + p['delivered']} | {p['delivered']} | {p['failed']} | {n.approved_by or '-'} |"
        )
    return "\n".join(lines) + "\n"
