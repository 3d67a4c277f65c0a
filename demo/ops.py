"""The demo's night shift: resolves an outage the probes found once its broker has been working again
for a while, as ops would, so a newcomer sees the whole path to the "fixed" text with nobody at the
console. Only the simulator calls it; a real deployment has people for this."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import override

from console.notice_templates import SETS, TEMPLATES, fill
from notifications.audience import brokers_of
from statuspage.models import IncidentDraft
from statuspage.publishing import post_update
from statuspage.wording import describe

# How long a broker works again before the demo's ops call it fixed.
SETTLED = timedelta(minutes=2)


def _fixed(draft: IncidentDraft) -> str:
    # The console's "Fixed" template, filled as a publisher's preview would fill it (in English:
    # the templates are ops' words; the Welsh texts come from notifications.wording).
    with override("en"):
        brokers = brokers_of([draft.broker.component])
        return fill(TEMPLATES["resolved"][1], describe(brokers), [draft.broker.component.name])


def resolve_recovered(now: datetime) -> int:
    """Resolve each published holding notice whose broker has worked for SETTLED. Safe to run twice."""
    resolved = 0
    due = IncidentDraft.objects.filter(
        state=IncidentDraft.State.PUBLISHED,
        recovered_at__lte=now - SETTLED,
        incident__status__in=["investigating", "identified", "monitoring"],
        broker__isnull=False,
    ).values_list("pk", flat=True)
    for draft_id in due:
        with transaction.atomic():
            draft = (
                IncidentDraft.objects.select_for_update(of=("self",))
                .select_related("incident", "broker__component")
                .get(pk=draft_id)
            )
            if draft.incident.is_finished:
                continue
            stage, systems = SETS["resolved"]
            post_update(
                draft.incident,
                stage,
                _fixed(draft),
                {draft.broker.component: systems},
                at=now,
            )
            resolved += 1
    return resolved
