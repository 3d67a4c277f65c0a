"""The answer to a STATUS text: the same sentence the pharmacy's page gives, as one reply.

People text a code, a postcode with or without its space, or part of a name; nobody is left
without an answer, and an unknown code gets a hint instead of silence.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.segments import tidy
from notifications.wording import short_link
from statuspage import board, lookup
from statuspage.models import Incident, Pharmacy
from statuspage.models.places import PHARMACY_ODS, POSTCODE, normalise_postcode

LISTED = 3


def _link(path: str) -> str:
    return short_link(settings.SITE_URL + path)


def _matches(asked: str) -> list[Pharmacy]:
    compact = asked.replace(" ", "")
    if PHARMACY_ODS.regex.match(compact):
        return list(Pharmacy.objects.filter(ods_code=compact).select_related("system"))
    if POSTCODE.regex.match(normalise_postcode(asked)) and (found := lookup.pharmacies_at(asked)):
        return found
    return lookup.find_pharmacies(asked, limit=LISTED + 1)


def overall() -> str:
    level, _description = board.page_indicator()
    if level == "none":
        return tidy(
            _("NHS: prescriptions are being sent as normal. To check your pharmacy, text STATUS and its postcode.")
        )
    names = list(Incident.objects.unresolved().values_list("name", flat=True)[:2])
    problems = "; ".join(names) or _("planned maintenance")
    return tidy(
        _(
            "NHS: known problem: %(problems)s. Your prescription is safe; you do not need to contact your GP "
            "practice. To check your pharmacy, text STATUS and its postcode. %(link)s"
        )
        % {"problems": problems, "link": _link(reverse("index"))}
    )


def reply(asked: str) -> str:
    """``asked``: what followed STATUS, already upper-cased and trimmed."""
    if not asked:
        return overall()
    found = _matches(asked)
    if not found:
        return tidy(
            _(
                'We could not find a pharmacy for "%(asked)s". Text STATUS and your pharmacy\'s code or postcode, '
                "like STATUS LS1 4AP, or see %(link)s"
            )
            % {"asked": asked[:20], "link": _link(reverse("pharmacies"))}
        )
    if len(found) == 1:
        pharmacy = found[0]
        advice = lookup.for_pharmacy(pharmacy).advice
        link = _link(reverse("pharmacy", args=[pharmacy.ods_code]))
        return tidy(_("NHS: %(answer)s %(link)s") % {"answer": advice.patient, "link": link})
    lines = [f"{p.ods_code} {p.name}: {lookup.for_pharmacy(p).advice.headline}." for p in found[:LISTED]]
    hint = _("Text STATUS and a code, like STATUS %(code)s, for what to do.") % {"code": found[0].ods_code}
    return tidy(" ".join([_("NHS:"), *lines, hint]))
