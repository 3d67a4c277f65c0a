"""/maintenance.ics: planned maintenance as an iCalendar feed a calendar app can subscribe to."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from icalendar import Calendar

from statuspage import response_cache
from statuspage.models import Incident
from statuspage.publishing import post_update

pytestmark = pytest.mark.django_db


def events(client) -> dict[str, dict]:
    """By UID, without the host part (the site's own)."""
    response = client.get("/maintenance.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    return {str(e["uid"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def test_upcoming_and_recent_maintenance_are_events_with_their_times_and_link(client, demo):
    found = events(client)
    upcoming = Incident.objects.upcoming().get()
    event = found[upcoming.code]
    assert str(event["summary"]) == upcoming.name
    assert event.decoded("dtstart") == upcoming.scheduled_for
    assert event.decoded("dtend") == upcoming.scheduled_until
    assert str(event["url"]).endswith(f"/incidents/{upcoming.code}/")
    assert len(found) == Incident.objects.maintenances().count()


def test_a_moved_window_is_the_same_event_with_a_higher_sequence(client, demo):
    upcoming = Incident.objects.upcoming().get()
    before = events(client)[upcoming.code]
    upcoming.scheduled_for += timedelta(hours=2)
    upcoming.scheduled_until += timedelta(hours=2)
    upcoming.save()
    post_update(upcoming, "scheduled", "Moved two hours later.", {})
    # The test's transaction never commits, so the after-commit cache bump does not run.
    cache.clear()
    response_cache.forget_local()
    after = events(client)[upcoming.code]
    assert after.decoded("dtstart") == before.decoded("dtstart") + timedelta(hours=2)
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert "Moved two hours later." in str(after["description"])


def test_the_calendar_refuses_writes_in_json(client, db):
    response = client.post("/maintenance.ics")
    assert response.status_code == 405 and response.json()["status"] == 405
