from django import template

from notifications.segments import count
from statuspage.templatetags.status_tags import TAG_COLOUR

register = template.Library()


@register.filter
def nhsuk_input(field):
    """A text-like input with the NHS.UK class, its hint and error tied to it for screen readers."""
    described = [f"{field.auto_id}-hint"] if field.help_text else []
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {"class": "nhsuk-input" + (" nhsuk-input--error" if field.errors else "")}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def age(seconds) -> str:
    """How long ago, in the fewest words an operator reads at a glance."""
    if seconds is None:
        return "never"
    seconds = int(seconds)
    if seconds < 90:
        return f"{seconds} s ago"
    if seconds < 5400:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


@register.simple_tag
def since(now, then):
    return None if then is None else (now - then).total_seconds()


@register.filter
def segments(text: str):
    return count(text)


@register.filter
def share(part, whole) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


@register.filter
def status_colour(status: str) -> str:
    # Ops see the raw status: a silent broker is grey "Not reporting", not the public's yellow.
    return TAG_COLOUR.get(status, "grey")
