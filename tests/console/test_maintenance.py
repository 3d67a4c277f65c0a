"""Maintenance planned in the console starts and finishes on its own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notice
from statuspage import maintenance
from statuspage.models import Incident, IncidentDraft
from tests.factories import subscriber

pytestmark = pytest.mark.django_db


def plan(staff, broker, start, end, notify=False):
    data = {
        "name": "Broker upgrade",
        "components": [broker.component.pk],
        "scheduled_for": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
        "scheduled_until": timezone.localtime(end).strftime("%Y-%m-%dT%H:%M"),
        "body": "Planned work on {systems}.",
    }
    if notify:
        data["notify_in_advance"] = "on"
    response = staff("editor").post("/console/maintenance/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = IncidentDraft.objects.get(scheduled_for__isnull=False)
    staff("publisher").post(f"/console/drafts/{draft.pk}/publish/")
    return Incident.objects.maintenances().get()


def test_it_starts_and_completes_at_its_times(broker, staff):
    now = timezone.now().replace(second=0, microsecond=0)
    item = plan(staff, broker, now + timedelta(hours=1), now + timedelta(hours=3))
    assert item.status == "scheduled" and "Planned work on Pharmacy Manager" in item.updates.get().body
    assert maintenance.advance(now) == 0
    assert maintenance.advance(now + timedelta(hours=1)) == 1
    assert maintenance.advance(now + timedelta(hours=1)) == 0  # twice is harmless
    item.refresh_from_db()
    broker.component.refresh_from_db()
    assert item.status == "in_progress" and broker.component.status == "under_maintenance"
    assert maintenance.advance(now + timedelta(hours=3)) == 1
    item.refresh_from_db()
    broker.component.refresh_from_db()
    assert item.status == "completed" and broker.component.status == "operational"


def test_subscribers_hear_in_advance_only_when_asked(broker, pharmacy, staff):
    subscriber("+447700900501", scope="pharmacy", pharmacy=pharmacy)
    now = timezone.now()
    plan(staff, broker, now + timedelta(days=1), now + timedelta(days=1, hours=2))
    assert not Notice.objects.exists()
    Incident.objects.all().delete()
    IncidentDraft.objects.all().delete()
    plan(staff, broker, now + timedelta(days=1), now + timedelta(days=1, hours=2), notify=True)
    notice = Notice.objects.get()
    assert notice.kind == "planned" and notice.sms_body.startswith("NHS: planned work")


def test_the_end_must_follow_the_start(broker, staff):
    now = timezone.now()
    response = staff("editor").post(
        "/console/maintenance/new/",
        {
            "name": "Backwards",
            "components": [broker.component.pk],
            "scheduled_for": now.strftime("%Y-%m-%dT%H:%M"),
            "scheduled_until": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "body": "x",
        },
    )
    assert response.status_code == 400 and "The end must be after the start" in response.content.decode()
