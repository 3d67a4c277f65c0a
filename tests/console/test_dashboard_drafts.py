"""The dashboard tells ops when the holding notice will go out by itself, shows recovered drafts
as news rather than alarms, and the audit trail records what the system published on its own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from console.listeners import SYSTEM
from console.models import AuditEntry
from detection import drafts
from statuspage import wording
from statuspage.models import IncidentDraft
from statuspage.status import ComponentStatus as S
from statuspage.transitions import set_component_status

pytestmark = pytest.mark.django_db


def break_it(broker, at):
    set_component_status(broker.component, S.MAJOR_OUTAGE, "Connection to NHS Spine failed", at=at)
    drafts.on_status_change(broker, S.MAJOR_OUTAGE, "Connection to NHS Spine failed", at)


def test_the_dashboard_gives_the_holding_notice_time(broker, staff, settings):
    settings.HOLDING_NOTICE_AFTER_SECONDS = 600
    opened = timezone.now() - timedelta(minutes=3)
    break_it(broker, opened)
    html = staff("viewer").get("/console/").content.decode()
    due = wording.uk_time(opened + timedelta(minutes=10))
    assert f"Published automatically at {due} unless you act." in html
    assert "console-card--alert" in html


def test_a_recovered_draft_is_marked_recovered_and_promises_no_notice(broker, staff):
    opened = timezone.now() - timedelta(minutes=3)
    break_it(broker, opened)
    set_component_status(broker.component, S.OPERATIONAL, "Recovered", at=opened + timedelta(minutes=1))
    drafts.on_status_change(broker, S.OPERATIONAL, "Recovered", opened + timedelta(minutes=1))
    assert IncidentDraft.objects.get().recovered_at is not None
    html = staff("viewer").get("/console/").content.decode()
    assert "Recovered</strong>" in html and "console-card--recovered" in html and "console-card--alert" not in html
    assert "no holding notice will go out" in html and "Published automatically at" not in html


def test_the_holding_notice_is_in_the_audit_trail_with_the_system_as_actor(broker):
    opened = timezone.now() - timedelta(minutes=11)
    break_it(broker, opened)
    assert drafts.publish_holding_notices(timezone.now()) == 1
    entry = AuditEntry.objects.get(action="incident.auto_open")
    assert entry.username == SYSTEM and entry.user_id is None and entry.via == "system"
    assert entry.incident is not None and "Opened automatically" in entry.summary


def test_staff_publications_are_not_counted_twice(broker, staff):
    break_it(broker, timezone.now())
    draft = IncidentDraft.objects.get()
    staff("publisher").post(f"/console/drafts/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.state == "published"
    assert AuditEntry.objects.filter(incident=draft.incident).exclude(username=SYSTEM).exists()
    assert not AuditEntry.objects.filter(username=SYSTEM).exists()


def test_brokers_are_grouped_by_nation_and_one_never_heard_from_is_not_working_normally(broker, staff):
    broker.last_probe_at = None
    broker.save()
    html = staff("viewer").get("/console/").content.decode()
    assert '<caption class="nhsuk-table__caption nhsuk-table__caption--m">England</caption>' in html
    row = html[html.index(f'href="/console/brokers/{broker.pk}/"') :].split("</tr>")[0]
    assert "Never reported" in row and "Working normally" not in row
