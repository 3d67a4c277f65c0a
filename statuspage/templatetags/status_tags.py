from datetime import datetime

from django import template
from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from statuspage import wording
from statuspage.models import Pharmacy
from statuspage.status import ComponentStatus, public_status
from statuspage.uptime import format_percent

register = template.Library()

TAG_COLOUR = {
    ComponentStatus.OPERATIONAL: "green",
    ComponentStatus.DEGRADED_PERFORMANCE: "yellow",
    ComponentStatus.PARTIAL_OUTAGE: "orange",
    ComponentStatus.MAJOR_OUTAGE: "red",
    ComponentStatus.UNDER_MAINTENANCE: "blue",
}
# An incident's stage says how far our work has got, not how bad it is (the systems' own tags say
# that): looking into it is news, not an alarm, so no stage is red.
INCIDENT_COLOUR = {
    "investigating": "blue",
    "identified": "blue",
    "monitoring": "aqua-green",
    "resolved": "green",
    "postmortem": "grey",
    "scheduled": "blue",
    "in_progress": "blue",
    "verifying": "aqua-green",
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
    return dateformat.format(timezone.localtime(value), "j F Y")  # the month in the reader's language


@register.filter
def uk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return _("%(date)s at %(time)s") % {"date": uk_date(value), "time": uk_time(value)}


@register.filter
def percent(value: float | None) -> str:
    return _("no data") if value is None else format_percent(value)


def _welsh(obj, field: str) -> str:
    return getattr(obj, f"{field}_cy", "") if get_language() == "cy" else ""


@register.filter
def localised(obj, field: str):
    """Ops' own words in the reader's language: the Welsh where ops wrote it, else the English,
    marked as English so a screen reader says it in an English voice."""
    if welsh := _welsh(obj, field):
        return welsh
    english = getattr(obj, field)
    return format_html('<span lang="en">{}</span>', english) if get_language() == "cy" else english


@register.filter
def localised_text(obj, field: str) -> str:
    """The same, as plain text (for a page title)."""
    return _welsh(obj, field) or getattr(obj, field)


@register.simple_tag
def pharmacy_search_hint() -> str:
    """ "For example, …" with a pharmacy that is really there, so each example finds something."""
    example = Pharmacy.objects.filter(ods_code=settings.EXAMPLE_PHARMACY).first() or (
        Pharmacy.objects.order_by("ods_code").first()
    )
    if example is None:
        return _("For example, a pharmacy's name, its postcode or its ODS code")
    return _("For example, %(name)s, %(postcode)s or %(code)s") % {
        "name": example.name,
        "postcode": example.postcode,
        "code": example.ods_code,
    }


@register.filter
def english(text: str):
    """A name that exists only in English (a system, a supplier's product), marked as English on a
    Welsh page so a screen reader says it in an English voice."""
    return format_html('<span lang="en">{}</span>', text) if get_language() == "cy" else text
