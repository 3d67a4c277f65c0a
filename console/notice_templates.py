"""Starting points for the public notice, with placeholders ops never have to type. Pure."""

import string

from django.utils.translation import gettext as _

from statuspage.wording import what_to_do

TEMPLATES = {
    "investigating": (
        "Investigating",
        "We know about a problem sending prescriptions {where}; we are investigating. {what_to_do}",
    ),
    "identified": (
        "Cause found",
        "We have found the cause of the problem sending prescriptions {where} and are fixing it. "
        "Prescriptions already sent are safe and will arrive when it is fixed. {what_to_do}",
    ),
    "monitoring": (
        "Fix being checked",
        "A fix is in place for prescriptions {where}. Prescriptions that were waiting are arriving now; "
        "we are watching to make sure it holds. You do not need to contact your GP practice.",
    ),
    "resolved": (
        "Fixed",
        "The problem sending prescriptions {where} is fixed. Prescriptions that were waiting have arrived "
        "or are on their way. You do not need to do anything.",
    ),
    "maintenance": (
        "Planned work",
        "Planned work on {systems} may delay prescriptions for a short time. Your prescription will be "
        "safe and you do not need to contact your GP practice.",
    ),
}
# What choosing a template also sets: the incident's stage, and the affected systems' status ("" leaves
# them as they are). A "Fixed" notice over systems still marked "Not working" would contradict itself.
SETS: dict[str, tuple[str, str]] = {
    "investigating": ("investigating", ""),
    "identified": ("identified", ""),
    "monitoring": ("monitoring", "degraded_performance"),
    "resolved": ("resolved", "operational"),
}
PLACEHOLDERS = {
    "where": 'whose prescriptions, e.g. "to pharmacies in England that use Pharmacy Manager"',
    "systems": "the affected systems, by name",
    "what_to_do": "what patients should do (the standard advice)",
}


class UnknownPlaceholder(ValueError):
    pass


def placeholders(text: str) -> set[str]:
    """The {names} in a text; a text with unbalanced braces raises ValueError."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def check(text: str) -> None:
    """Raises ValueError (UnknownPlaceholder for a misspelt name) saying what is wrong."""
    try:
        unknown = placeholders(text) - set(PLACEHOLDERS)
    except ValueError:
        raise ValueError("Use { and } only around a placeholder, like {where}.") from None
    if unknown:
        raise UnknownPlaceholder(
            f"Unknown placeholder {', '.join('{' + n + '}' for n in sorted(unknown))}: "
            f"use {', '.join('{' + n + '}' for n in PLACEHOLDERS)}"
        )


def fill(text: str, where: str, systems: list[str]) -> str:
    """Placeholders filled in the active language (Welsh for a Welsh notice)."""
    check(text)
    names = (
        _("%(first)s and %(last)s") % {"first": ", ".join(systems[:-1]), "last": systems[-1]}
        if len(systems) > 1
        else "".join(systems)
    )
    return text.format(where=where, systems=names or _("the service"), what_to_do=what_to_do())


def apply(key: str, data: dict, status_field: str, allowed_statuses: set[str]) -> bool:
    """Fill a form's data from a template: its text, and the stage and systems' status it implies
    (only a stage this form offers). False for an unknown template."""
    if key not in TEMPLATES:
        return False
    data["body"] = TEMPLATES[key][1]
    stage, systems = SETS.get(key, ("", ""))
    if stage in allowed_statuses:
        data[status_field] = stage
    if systems:
        data["component_status"] = systems
    return True
