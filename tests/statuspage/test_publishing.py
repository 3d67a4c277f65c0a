from datetime import timedelta

import pytest
from django.utils import timezone

from statuspage.models import Incident
from statuspage.publishing import open_incident, post_update, schedule_maintenance
from statuspage.status import ComponentStatus as S
from statuspage.status import IncidentStatus, MaintenanceStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_each_update_records_the_components_old_and_new_status():
    c = factories.component()
    incident = open_incident("Broker down", "We are investigating.", "major", {c: S.MAJOR_OUTAGE})
    post_update(incident, IncidentStatus.RESOLVED, "Fixed.", {c: S.OPERATIONAL})
    first, last = incident.updates.order_by("display_at", "id")
    assert [(a.old_status, a.new_status) for a in first.affected_components.all()] == [(S.OPERATIONAL, S.MAJOR_OUTAGE)]
    assert [(a.old_status, a.new_status) for a in last.affected_components.all()] == [(S.MAJOR_OUTAGE, S.OPERATIONAL)]
    c.refresh_from_db()
    assert c.status == S.OPERATIONAL
    assert c.status_changes.filter(incident=incident).count() == 2


def test_monitoring_and_resolution_times_are_kept():
    c = factories.component()
    start = timezone.now() - timedelta(hours=2)
    incident = open_incident("Slow", "Slow.", "minor", {c: S.DEGRADED_PERFORMANCE}, at=start)
    post_update(incident, IncidentStatus.MONITORING, "Watching.", at=start + timedelta(hours=1))
    post_update(incident, IncidentStatus.RESOLVED, "Done.", at=start + timedelta(hours=2))
    incident.refresh_from_db()
    assert incident.monitoring_at == start + timedelta(hours=1)
    assert incident.resolved_at == start + timedelta(hours=2)
    assert incident.is_finished
    assert not Incident.objects.unresolved().exists()


def test_maintenance_is_scheduled_then_runs_and_completes():
    c = factories.component()
    begin = timezone.now() + timedelta(days=1)
    m = schedule_maintenance("Upgrade", "Planned.", [c], begin, begin + timedelta(hours=2))
    assert list(Incident.objects.upcoming()) == [m]
    post_update(m, MaintenanceStatus.IN_PROGRESS, "Started.", {c: S.UNDER_MAINTENANCE})
    assert list(Incident.objects.active_maintenance()) == [m]
    post_update(m, MaintenanceStatus.COMPLETED, "Done.", {c: S.OPERATIONAL})
    m.refresh_from_db()
    assert m.is_finished and m.resolved_at is not None
