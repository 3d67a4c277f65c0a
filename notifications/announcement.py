"""What a GP practice's phone line says about EPS before the caller reaches the queue.

Short on purpose: callers are waiting. During an incident it says what is affected and that
nobody needs to ring about a prescription already sent; otherwise one sentence.
"""

from django.utils.translation import gettext as _

from notifications.audience import brokers_of
from statuspage.models import Incident
from statuspage.wording import describe, uk_time


def _concerns(incident: Incident, nation: str) -> tuple[bool, str]:
    brokers = brokers_of(list(incident.components.all()))
    if nation and brokers and not any(b.nation == nation for b in brokers):
        return False, ""
    return True, describe(brokers)


def problems(nation: str = "") -> list[str]:
    """One spoken sentence per open incident or maintenance under way that reaches ``nation``."""
    sentences = []
    for incident in Incident.objects.unresolved().prefetch_related("components")[:5]:
        relevant, what = _concerns(incident, nation)
        if relevant:
            sentences.append(_("There is a problem sending electronic prescriptions %(what)s.") % {"what": what})
    for work in Incident.objects.active_maintenance().prefetch_related("components")[:2]:
        relevant, what = _concerns(work, nation)
        if relevant:
            until = uk_time(work.scheduled_until) if work.scheduled_until else ""
            sentences.append(
                _("Planned work until %(until)s may delay electronic prescriptions %(what)s.")
                % {"until": until, "what": what}
            )
    return sentences


def script(nation: str = "") -> list[str]:
    """What the line says, sentence by sentence."""
    found = problems(nation)
    if not found:
        return [_("There are no known problems with electronic prescriptions.")]
    return [
        _("This is an NHS update about electronic prescriptions."),
        *found,
        _(
            "Prescriptions already sent are safe and will reach the pharmacy when it is fixed. "
            "You do not need to call us about them. If you need your medicine quickly, speak to your pharmacy."
        ),
    ]
