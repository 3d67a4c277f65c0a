"""The texts and emails patients get. Pure: given what broke, where, and a link.

Every text starts "NHS:" ("GIG:" in Welsh). One GSM-7 segment where possible (160 characters):
plain ASCII, no curly quotes or dashes.
Welsh needs its circumflexes (â, ŵ, ŷ), which GSM-7 lacks, so a Welsh text is UCS-2 and
costs more segments: it is worded shortly instead of being spelt wrongly.
Every sentence is translated in the active language (the caller chooses it).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from notifications.segments import count, tidy


@dataclass(frozen=True)
class Words:
    sms: str
    subject: str
    email: str


def _stop() -> str:
    return _("Reply STOP to end")


def _short_stop() -> str:
    return _("STOP to end")


def _sms(*parts: str) -> str:
    return tidy(" ".join(p for p in parts if p))


def _one_segment(*versions: str) -> str:
    """The first version that fits one segment (half the cost of two), else the shortest."""
    for text in versions:
        if count(text).count <= 1:
            return text
    return min(versions, key=len)


def short_link(link: str) -> str:
    # Phones make "status.example.nhs.uk/i/x" a link by themselves; the scheme costs 8 characters.
    return link.removeprefix("https://")


def alert(what: str, link: str, short: str = "") -> Words:
    """``what``: e.g. "to pharmacies in England that use Pharmacy Manager"; ``short`` the same in
    fewer characters ("to Pharmacy Manager pharmacies in England"), for a text that must fit."""
    short = short or what
    url = short_link(link)
    return Words(
        sms=_one_segment(
            _sms(
                _("NHS: prescriptions %(what)s may be delayed.") % {"what": what},
                _("Your prescription is safe. You do not need to contact your GP practice."),
                url,
                _stop(),
            ),
            _sms(
                _("NHS: prescriptions %(what)s may be delayed. They're safe: no need to contact your GP.")
                % {"what": short},
                url,
                _short_stop(),
            ),
            # "NHS" stays whatever else goes: patients are taught to distrust texts that do not say
            # who they are from.
            _sms(
                _("NHS: prescriptions %(what)s delayed but safe: no need to contact your GP.") % {"what": short},
                url,
                _short_stop(),
            ),
        ),
        subject=_("Prescriptions %(what)s may be delayed") % {"what": what},
        email=(
            _("There is a problem sending electronic prescriptions %(what)s.") % {"what": what}
            + "\n\n"
            + _(
                "Your prescription is safe. You do not need to contact your GP practice. "
                "If you need your medicine quickly, speak to your pharmacy."
            )
            + "\n\n"
            + _("We will tell you when it is fixed. Follow it at %(link)s") % {"link": link}
        ),
    )


def resolution(what: str, link: str, short: str = "") -> Words:
    short = short or what
    url = short_link(link)
    return Words(
        sms=_one_segment(
            _sms(
                _("NHS: prescriptions %(what)s are arriving again. You do not need to do anything.") % {"what": what},
                url,
                _stop(),
            ),
            _sms(_("NHS: prescriptions %(what)s are arriving again.") % {"what": short}, url, _short_stop()),
        ),
        subject=_("Fixed: prescriptions %(what)s are arriving again") % {"what": what},
        email=(
            _("The problem is fixed. Prescriptions %(what)s are being sent again.") % {"what": what}
            + "\n\n"
            + _("Prescriptions that were waiting are on their way. You do not need to contact your GP practice.")
            + "\n\n"
            + _("Details: %(link)s") % {"link": link}
        ),
    )


def maintenance(what: str, until: str, link: str) -> Words:
    url = short_link(link)
    words = {"what": what, "until": until}
    return Words(
        sms=_one_segment(
            _sms(
                _("NHS: planned work until %(until)s. Prescriptions %(what)s may be delayed. They are safe.") % words,
                url,
                _stop(),
            ),
            _sms(
                _("NHS: planned work until %(until)s. Prescriptions %(what)s may be delayed.") % words,
                url,
                _short_stop(),
            ),
        ),
        subject=_("Planned work: prescriptions %(what)s may be delayed until %(until)s") % words,
        email=(
            _("Planned work has started and should finish by %(until)s. Prescriptions %(what)s may be delayed.") % words
            + "\n\n"
            + _("Your prescription is safe. You do not need to contact your GP practice.")
            + "\n\n"
            + _("Details: %(link)s") % {"link": link}
        ),
    )


def planned(what: str, start: str, until: str, link: str) -> Words:
    """Advance notice of maintenance, sent when it is scheduled if ops ask for it."""
    url = short_link(link)
    words = {"what": what, "start": start, "until": until}
    return Words(
        sms=_one_segment(
            _sms(
                _(
                    "NHS: planned work from %(start)s to %(until)s. Prescriptions %(what)s may be delayed. "
                    "They will be safe."
                )
                % words,
                url,
                _stop(),
            ),
            _sms(
                _("NHS: planned work %(start)s to %(until)s. Prescriptions %(what)s may be delayed.") % words,
                url,
                _short_stop(),
            ),
        ),
        subject=_("Planned work %(start)s to %(until)s: prescriptions %(what)s may be delayed") % words,
        email=(
            _("There will be planned work from %(start)s to %(until)s. Prescriptions %(what)s may be delayed.") % words
            + "\n\n"
            + _("Your prescription will be safe. You do not need to contact your GP practice.")
            + "\n\n"
            + _("Details: %(link)s") % {"link": link}
        ),
    )


def update(what: str, body: str, link: str) -> Words:
    return Words(
        sms=_sms(_("NHS: an update on delays to prescriptions %(what)s.") % {"what": what}, short_link(link), _stop()),
        subject=_("Update: prescriptions %(what)s") % {"what": what},
        email=f"{body}\n\n" + _("Details: %(link)s") % {"link": link},
    )
