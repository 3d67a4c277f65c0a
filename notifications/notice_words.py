"""A notice's words, for everyone it reaches or for one patient and the pharmacy they follow.

The notice keeps the general wording ("to pharmacies in England that use Pharmacy Manager"). A
patient who follows a pharmacy the notice reaches is told about that pharmacy by name instead,
worded at sending time in their own language: they know their pharmacy, not its supplier's product.
"""

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from notifications import wording
from notifications.audience import Reach
from notifications.models import Notice
from statuspage import language as languages
from statuspage.models import Incident, IncidentUpdate, Pharmacy
from statuspage.wording import uk_time


def _when(at) -> str:
    """E.g. "9:00pm 7 Dec", in the active language."""
    local = timezone.localtime(at)
    return f"{uk_time(local)} {dateformat.format(local, 'j M')}"


def words(kind: str, incident: Incident, update: IncidentUpdate, what: str, short: str, language: str) -> wording.Words:
    """``what`` and ``short`` are built by the caller in ``language`` (whose prescriptions)."""
    with override(languages.code(language)):
        # A Welsh reader's link opens the Welsh page.
        link = f"{settings.SITE_URL}{'/cy' if language == 'cy' else ''}/i/{incident.code}"
        if kind == Notice.Kind.ALERT:
            return wording.alert(what, link, short)
        if kind == Notice.Kind.RESOLUTION:
            return wording.resolution(what, link, short)
        if kind == Notice.Kind.MAINTENANCE:
            return wording.maintenance(what, _when(incident.scheduled_until), link)
        if kind == Notice.Kind.PLANNED:
            return wording.planned(what, _when(incident.scheduled_for), _when(incident.scheduled_until), link)
        body = (update.body_cy or update.body) if language == "cy" else update.body
        return wording.update(what, body, link)


def reaches(pharmacy: Pharmacy, reach: Reach) -> bool:
    """Whether a notice with this reach is about this pharmacy (audience.follows, for one pharmacy)."""
    return (
        pharmacy.pk in reach.sites
        or (pharmacy.system_id, pharmacy.nation) in reach.routes
        or pharmacy.nation in reach.whole_nations
    )


def theirs(pharmacies: list[Pharmacy], language: str) -> str:
    """Whose prescriptions, for someone following these pharmacies: "to Kirkstall Road Pharmacy"."""
    with override(languages.code(language)):
        if len(pharmacies) == 1:
            return _("to %(pharmacy)s") % {"pharmacy": pharmacies[0].name}
        return ngettext("to %(n)d pharmacy you follow", "to %(n)d pharmacies you follow", len(pharmacies)) % {
            "n": len(pharmacies)
        }


def for_patient(notice: Notice, followed: list[Pharmacy], reach: Reach, language: str) -> wording.Words | None:
    """The notice worded for one patient, naming the pharmacies they follow that it reaches; None
    when it reaches none of them (they follow a nation, or everything)."""
    mine = [p for p in followed if reaches(p, reach)]
    if not mine:
        return None
    what = theirs(mine, language)
    return words(notice.kind, notice.incident, notice.update, what, what, language)
