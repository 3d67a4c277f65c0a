"""Times and amounts the way GOV.UK and NHS.UK write them."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LONDON = ZoneInfo("Europe/London")


def uk_time(value: datetime) -> str:
    """3:05pm, midday, midnight — in UK time."""
    local = value.astimezone(LONDON)
    if (local.hour, local.minute) == (12, 0):
        return _("midday")
    if (local.hour, local.minute) == (0, 0):
        return _("midnight")
    suffix = _("am") if local.hour < 12 else _("pm")
    return f"{(local.hour % 12) or 12}:{local.minute:02d}{suffix}"


def about(seconds: float) -> str:
    """A delay as a person would say it: 'about 20 minutes', 'about 3 hours'."""
    # Half up, as people round (Python's round() would make 2.5 hours "2 hours").
    minutes = seconds / 60
    if minutes < 55:
        rounded = max(5, 5 * int(minutes / 5 + 0.5))
        return ngettext("%(n)d minute", "%(n)d minutes", rounded) % {"n": rounded}
    hours = max(1, int(minutes / 60 + 0.5))
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
