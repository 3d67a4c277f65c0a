"""The demo's ops resolve an outage the probes found once its broker has worked for a while, so the
demo reaches the "fixed" text with nobody at the console."""

from datetime import timedelta

import pytest
from django.utils import timezone

from demo import ops
from detection import drafts
from notifications.models import Notice
from statuspage.models import Incident, IncidentDraft

pytestmark = pytest.mark.django_db


def test_a_recovered_holding_notice_is_resolved_after_it_settles(broker, people):
    now = timezone.now()
    drafts.on_status_change(broker, "major_outage", "Spine lost", now)
    later = now + timedelta(minutes=11)
    assert drafts.publish_holding_notices(later) == 1
    incident = Incident.objects.get()
    drafts.on_status_change(broker, "operational", "probes good", later + timedelta(minutes=1))
    assert ops.resolve_recovered(later + timedelta(minutes=2)) == 0  # working again for only a minute
    assert ops.resolve_recovered(later + timedelta(minutes=4)) == 1
    incident.refresh_from_db()
    assert incident.status == "resolved"
    assert "is fixed" in incident.updates.latest("created_at").body
    assert Notice.objects.filter(incident=incident, kind="resolution").exists()
    assert ops.resolve_recovered(later + timedelta(minutes=5)) == 0  # safe to run twice


def test_a_draft_still_failing_or_never_published_is_left_alone(broker):
    now = timezone.now()
    drafts.on_status_change(broker, "major_outage", "Spine lost", now)
    assert ops.resolve_recovered(now + timedelta(hours=1)) == 0
    assert IncidentDraft.objects.get().state == "open"
