"""The audit trail is append-only, filterable and exportable; incidents export a report skeleton."""

import csv
import io

import pytest
from django.db import connection, transaction
from django.utils import timezone

from console.models import AuditEntry
from detection import drafts
from statuspage.models import IncidentDraft
from tests import factories
from tests.factories import subscriber

pytestmark = pytest.mark.django_db


def entry(**fields) -> AuditEntry:
    defaults = {"at": timezone.now(), "username": "ops", "action": "draft.edit", "object_type": "incidentdraft"}
    return AuditEntry.objects.create(**{**defaults, "object_id": "1", "summary": "Edited", **fields})


def test_entries_cannot_be_changed_or_removed_through_the_orm(db):
    e = entry()
    e.summary = "Rewritten"
    with pytest.raises(PermissionError):
        e.save()
    with pytest.raises(PermissionError):
        e.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=e.pk).update(summary="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_rewrite_history(db):
    e = entry()
    for sql in (
        "UPDATE console_auditentry SET summary = 'x' WHERE id = %s",
        "DELETE FROM console_auditentry WHERE id = %s",
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [e.pk])
    assert AuditEntry.objects.get(pk=e.pk).summary == "Edited"


def test_filter_and_export_as_csv(staff):
    viewer = staff("viewer")
    entry(username="alice", action="incident.publish", summary="Published")
    entry(username="bob", action="draft.edit", summary='=HYPERLINK("http://evil")')
    page = viewer.get("/console/audit/", {"user": "alice"}).content.decode()
    assert "Published" in page and "HYPERLINK" not in page
    fragment = viewer.get("/console/audit/", {"action": "draft."}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="results">') and "HYPERLINK" in fragment
    response = viewer.get("/console/audit.csv", {"user": "bob"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["username"] for r in rows] == ["bob"]
    assert rows[0]["summary"].startswith("'=")  # a spreadsheet must not run it


def test_bad_filters_show_nothing_rather_than_everything(staff):
    entry(username="alice")
    page = staff("viewer").get("/console/audit/", {"since": "not a date"}).content.decode()
    assert "Nothing matches" in page


def test_the_incident_report_has_timeline_evidence_updates_and_sends(
    broker, pharmacy, staff, django_capture_on_commit_callbacks
):

    subscriber("+447700900601", scope="pharmacy", pharmacy=pharmacy)
    now = timezone.now()
    factories.probe(broker, now, verdict="major_outage", reason="Spine connection lost")
    drafts.on_status_change(broker, "major_outage", "Spine connection lost", now)
    draft = IncidentDraft.objects.get()
    publisher = staff("publisher")
    with django_capture_on_commit_callbacks(execute=True):
        publisher.post(f"/console/drafts/{draft.pk}/publish/")
    code = draft.__class__.objects.get().incident.code
    publisher.post(f"/console/incidents/{code}/notes/", {"text": "Supplier restarted the broker."})
    report = publisher.get(f"/console/incidents/{code}/report.md")
    assert report["Content-Disposition"].endswith(f'incident-{code}-report.md"')
    text = report.content.decode()
    for part in (
        "## Timeline",
        "Probes opened a draft",
        "Published",
        "Supplier restarted the broker.",
        "## Probe evidence",
        "Spine connection lost",
        "## Public updates",
        "## Texts and emails sent",
        "| Problem declared |",
    ):
        assert part in text, part
