"""Scheduled maintenance as an iCalendar feed (RFC 5545), for ops calendars and practice managers.

Each maintenance is one event whose UID never changes, so a calendar that subscribes sees a
moved window as the same event moved (SEQUENCE goes up with each update), not as a new one.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from statuspage.api.problems import read_only
from statuspage.models import Incident
from statuspage.response_cache import public_cache
from statuspage.uptime import HISTORY_DAYS


def calendar(now=None) -> Calendar:
    now = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//NHS EPS Status//Scheduled maintenance//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{settings.STATUS_PAGE['name']}: planned maintenance")
    cal.add("x-wr-timezone", "Europe/London")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"value": "DURATION"})
    host = urlsplit(settings.SITE_URL).hostname or "eps-status"
    works = (
        Incident.objects.maintenances()
        .filter(scheduled_until__gte=now - timedelta(days=HISTORY_DAYS), scheduled_for__isnull=False)
        .prefetch_related("components", "updates")
        .order_by("scheduled_for")
    )
    for work in works:
        updates = list(work.updates.all())
        event = Event()
        event.add("uid", f"{work.code}@{host}")
        event.add("dtstamp", work.updated_at)
        event.add("last-modified", work.updated_at)
        event.add("created", work.created_at)
        event.add("sequence", max(len(updates) - 1, 0))
        event.add("dtstart", work.scheduled_for)
        event.add("dtend", work.scheduled_until or work.scheduled_for + timedelta(hours=1))
        event.add("summary", work.name)
        affected = ", ".join(c.name for c in work.components.all())
        latest = updates[0].body if updates else ""
        event.add(
            "description",
            "\n\n".join(p for p in [latest, f"Affects: {affected}" if affected else "", work.shortlink] if p),
        )
        event.add("url", work.shortlink)
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")  # maintenance does not make anyone busy
        event.add("categories", ["Maintenance"])
        cal.add_component(event)
    return cal


@read_only
@public_cache(cors=True)
def maintenance_ics(request: HttpRequest) -> HttpResponse:
    return HttpResponse(calendar().to_ical(), content_type="text/calendar; charset=utf-8")
