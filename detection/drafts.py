"""Incidents the probes open for NHS ops, and the holding notice nobody's silence can stop."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from common import metrics
from statuspage.models import Broker, IncidentDraft, Nation, Supplier
from statuspage.publishing import open_incident
from statuspage.status import ComponentStatus as S
from statuspage.status import IncidentStatus, is_public_affecting, public_status
from statuspage.wording import PROFESSIONAL_GUIDANCE, towards, what_to_do

IMPACT = {S.DEGRADED_PERFORMANCE: "minor", S.PARTIAL_OUTAGE: "major", S.MAJOR_OUTAGE: "critical"}


def title(broker: Broker) -> str:
    return _("Problem sending prescriptions %(towards)s") % {"towards": towards(broker)}


def _unaffected(broker: Broker) -> str:
    """Where the same supplier's other brokers are fine: patients there need not worry."""
    if broker.site_id:
        return ""
    others = (
        Broker.objects.filter(supplier=broker.supplier, site__isnull=True)
        .exclude(pk=broker.pk)
        .filter(component__status=S.OPERATIONAL)
        .values_list("nation", flat=True)
    )
    nations = [str(Nation(n).label) for n in Nation.values if n in set(others)]
    if not nations:
        return ""
    places = (
        nations[0]
        if len(nations) == 1
        else _("%(first)s and %(last)s")
        % {
            "first": ", ".join(nations[:-1]),
            "last": nations[-1],
        }
    )
    if broker.supplier.kind == Supplier.Kind.GP:
        return " " + _("GP practices in %(places)s are not affected.") % {"places": places}
    return " " + _("Pharmacies in %(places)s are not affected.") % {"places": places}


def holding_notice(broker: Broker) -> str:
    return (
        _("We know about a problem sending prescriptions %(towards)s; we are investigating.")
        % {"towards": towards(broker)}
        + _unaffected(broker)
        + " "
        + what_to_do()
    )


def in_welsh(make, broker: Broker) -> str:
    with override("cy"):
        return make(broker)


def on_status_change(broker: Broker, new_status: str, evidence: str, at: datetime) -> None:
    """Called inside the transaction that changed a broker's status."""
    if is_public_affecting(new_status):
        draft = IncidentDraft.objects.filter(broker=broker, state=IncidentDraft.State.OPEN).first()
        line = f"{at:%Y-%m-%d %H:%M:%S} {new_status}: {evidence}"
        if draft:
            draft.component_status = new_status
            draft.impact = IMPACT[public_status(new_status)]
            draft.evidence += "\n" + line
            draft.recovered_at = None
            draft.save()
        elif not IncidentDraft.objects.filter(
            broker=broker, state=IncidentDraft.State.PUBLISHED, recovered_at__isnull=True
        ).exists():
            draft = IncidentDraft.objects.create(
                broker=broker,
                opened_at=at,
                name=title(broker),
                name_cy=in_welsh(title, broker),
                impact=IMPACT[public_status(new_status)],
                component_status=new_status,
                body=holding_notice(broker),
                body_cy=in_welsh(holding_notice, broker),
                evidence=line,
                professional_guidance=PROFESSIONAL_GUIDANCE,
            )
            metrics.DRAFTS_OPENED.inc()
            draft.components.set([broker.component])
    elif new_status == S.OPERATIONAL:
        # Working again: flag it for ops to resolve; never resolve a public incident on our own.
        IncidentDraft.objects.filter(broker=broker, recovered_at__isnull=True).exclude(
            state=IncidentDraft.State.DISMISSED
        ).update(recovered_at=at)


def publish_holding_notices(now: datetime) -> int:
    """Publish every draft ops have not acted on in time. Safe to run twice."""
    due = now - timedelta(seconds=settings.HOLDING_NOTICE_AFTER_SECONDS)
    published = 0
    for draft_id in IncidentDraft.objects.filter(
        state=IncidentDraft.State.OPEN, opened_at__lte=due, recovered_at__isnull=True, broker__isnull=False
    ).values_list("pk", flat=True):
        with transaction.atomic():
            # Claimed under a row lock, so two schedulers cannot publish one draft twice.
            draft = (
                IncidentDraft.objects.select_for_update(of=("self",))
                .select_related("broker__component")
                .filter(pk=draft_id, state=IncidentDraft.State.OPEN)
                .first()
            )
            if draft is None:
                continue
            component = draft.broker.component
            # The standard words, not the draft's: ops may have left it half-edited, with placeholders.
            draft.incident = open_incident(
                title(draft.broker),
                holding_notice(draft.broker),
                draft.impact,
                {component: component.status},
                status=IncidentStatus.INVESTIGATING,
                at=now,
                professional_guidance=draft.professional_guidance,
                name_cy=in_welsh(title, draft.broker),
                body_cy=in_welsh(holding_notice, draft.broker),
            )
            draft.state = IncidentDraft.State.PUBLISHED
            draft.save(update_fields=["incident", "state"])
            published += 1
            metrics.HOLDING_NOTICES.inc()
    return published
