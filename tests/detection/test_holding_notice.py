from datetime import timedelta

import pytest
from django.utils import timezone

from detection import drafts
from statuspage.models import Incident, IncidentDraft
from statuspage.status import ComponentStatus as S
from statuspage.transitions import set_component_status

pytestmark = pytest.mark.django_db


def break_it(broker, at):
    set_component_status(broker.component, S.MAJOR_OUTAGE, "Connection to NHS Spine failed", at=at)
    drafts.on_status_change(broker, S.MAJOR_OUTAGE, "Connection to NHS Spine failed", at)


def test_nobody_acting_for_ten_minutes_publishes_a_holding_notice(client, broker):
    opened = timezone.now() - timedelta(minutes=11)
    break_it(broker, opened)
    assert drafts.publish_holding_notices(opened + timedelta(minutes=9)) == 0
    assert drafts.publish_holding_notices(timezone.now()) == 1
    incident = Incident.objects.get()
    assert incident.status == "investigating" and incident.impact == "critical"
    update = incident.updates.get()
    assert update.body.startswith(
        "We know about a problem sending prescriptions to pharmacies in England that use Pharmacy Manager; "
        "we are investigating."
    )
    assert "You do not need to contact your GP practice" in update.body
    assert [c["id"] for c in client.get("/api/v2/incidents/unresolved.json").json()["incidents"]] == [incident.code]
    assert IncidentDraft.objects.get().state == "published"


def test_publishing_twice_publishes_once(broker):
    opened = timezone.now() - timedelta(minutes=11)
    break_it(broker, opened)
    drafts.publish_holding_notices(timezone.now())
    assert drafts.publish_holding_notices(timezone.now()) == 0
    assert Incident.objects.count() == 1


def test_a_blip_that_recovered_before_anyone_acted_is_not_published(broker):
    opened = timezone.now() - timedelta(minutes=11)
    break_it(broker, opened)
    drafts.on_status_change(broker, S.OPERATIONAL, "Working normally", opened + timedelta(minutes=2))
    assert drafts.publish_holding_notices(timezone.now()) == 0
    assert not Incident.objects.exists()


def test_a_recovery_after_publishing_flags_the_incident_for_ops_and_leaves_it_open(broker):
    opened = timezone.now() - timedelta(minutes=11)
    break_it(broker, opened)
    drafts.publish_holding_notices(timezone.now())
    drafts.on_status_change(broker, S.OPERATIONAL, "Working normally", timezone.now())
    draft = IncidentDraft.objects.get()
    assert draft.recovered_at is not None
    assert Incident.objects.get().status == "investigating"


def test_a_worsening_broker_keeps_one_draft_with_all_the_evidence(broker):
    at = timezone.now()
    drafts.on_status_change(broker, S.DEGRADED_PERFORMANCE, "Delivery taking 6.0 s; threshold 5 s", at)
    drafts.on_status_change(broker, S.MAJOR_OUTAGE, "Connection to NHS Spine failed", at + timedelta(minutes=1))
    draft = IncidentDraft.objects.get()
    assert draft.impact == "critical"
    assert "6.0 s" in draft.evidence and "Spine" in draft.evidence
