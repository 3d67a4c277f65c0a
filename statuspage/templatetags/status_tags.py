from datetime import datetime

from django import template
from django.utils import timezone

from statuspage import wording
from statuspage.status import ComponentStatus, public_status

register = template.Library()

TAG_COLOUR = {
    ComponentStatus.OPERATIONAL: "green",
    ComponentStatus.DEGRADED_PERFORMANCE: "yellow",
    ComponentStatus.PARTIAL_OUTAGE: "orange",
    ComponentStatus.MAJOR_OUTAGE: "red",
    ComponentStatus.UNDER_MAINTENANCE: "blue",
}
INCIDENT_COLOUR = {
    "investigating": "red",
    "identified": "orange",
    "monitoring": "yellow",
    "resolved": "green",
    "postmortem": "grey",
    "scheduled": "blue",
    "in_progress": "blue",
    "verifying": "yellow",
    "completed": "green",
}


@register.inclusion_tag("statuspage/_status_tag.html")
def status_tag(status: str) -> dict:
    shown = public_status(status)
    return {"colour": TAG_COLOUR[shown], "label": ComponentStatus(shown).label}


@register.filter
def incident_colour(status: str) -> str:
    return INCIDENT_COLOUR.get(status, "grey")


@register.filter
def uk_time(value: datetime | None) -> str:
    """GOV.UK style: 3:05pm, midday, midnight, in UK local time."""
    return "" if value is None else wording.uk_time(value)


@register.filter
def uk_date(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y}"


@register.filter
def uk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{uk_date(value)} at {uk_time(value)}"


@register.filter
def percent(value: float | None) -> str:
    from statuspage.uptime import format_percent

    return "no data" if value is None else format_percent(value)
