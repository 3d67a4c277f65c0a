"""The texts and emails patients get. Pure: given what broke, where, and a link.

One GSM-7 segment where possible (160 characters): plain ASCII, no curly quotes or dashes.
"""

from dataclasses import dataclass

from notifications.segments import count, tidy

STOP = "Reply STOP to end"
SHORT_STOP = "STOP to end"


@dataclass(frozen=True)
class Words:
    sms: str
    subject: str
    email: str


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
    return Words(
        sms=_one_segment(
            _sms(
                f"NHS: prescriptions {what} may be delayed.",
                "Your prescription is safe. You do not need to contact your GP practice.",
                short_link(link),
                STOP,
            ),
            _sms(
                f"NHS: prescriptions {short} may be delayed. They're safe: no need to contact your GP.",
                short_link(link),
                SHORT_STOP,
            ),
            # The sender is NHS already, so the prefix is the first thing to go.
            _sms(
                f"Prescriptions {short} are delayed. They're safe: no need to contact your GP.",
                short_link(link),
                SHORT_STOP,
            ),
        ),
        subject=f"Prescriptions {what} may be delayed",
        email=(
            f"There is a problem sending electronic prescriptions {what}.\n\n"
            "Your prescription is safe. You do not need to contact your GP practice. "
            "If you need your medicine urgently, speak to your pharmacy.\n\n"
            f"We will tell you when it is fixed. Follow it at {link}"
        ),
    )


def resolution(what: str, link: str, short: str = "") -> Words:
    short = short or what
    return Words(
        sms=_one_segment(
            _sms(
                f"NHS: prescriptions {what} are arriving again. You do not need to do anything.", short_link(link), STOP
            ),
            _sms(f"NHS: prescriptions {short} are arriving again.", short_link(link), SHORT_STOP),
        ),
        subject=f"Fixed: prescriptions {what} are arriving again",
        email=(
            f"The problem sending electronic prescriptions {what} is fixed.\n\n"
            "Prescriptions that were waiting are on their way. You do not need to contact your GP practice.\n\n"
            f"Details: {link}"
        ),
    )


def maintenance(what: str, until: str, link: str) -> Words:
    return Words(
        sms=_one_segment(
            _sms(
                f"NHS: planned work until {until}: prescriptions {what} may be delayed. They are safe.",
                short_link(link),
                STOP,
            ),
            _sms(
                f"NHS: planned work until {until}: prescriptions {what} may be delayed.", short_link(link), SHORT_STOP
            ),
        ),
        subject=f"Planned work: prescriptions {what} may be delayed until {until}",
        email=(
            f"Planned work has started and should finish by {until}. Prescriptions {what} may be delayed.\n\n"
            "Your prescription is safe. You do not need to contact your GP practice.\n\n"
            f"Details: {link}"
        ),
    )


def planned(what: str, start: str, until: str, link: str) -> Words:
    """Advance notice of maintenance, sent when it is scheduled if ops ask for it."""
    return Words(
        sms=_one_segment(
            _sms(
                f"NHS: planned work from {start} to {until}: prescriptions {what} may be delayed. They will be safe.",
                short_link(link),
                STOP,
            ),
            _sms(
                f"NHS: planned work {start} to {until}: prescriptions {what} may be delayed.",
                short_link(link),
                SHORT_STOP,
            ),
        ),
        subject=f"Planned work {start} to {until}: prescriptions {what} may be delayed",
        email=(
            f"Planned work from {start} to {until} may delay prescriptions {what}.\n\n"
            "Your prescription will be safe. You do not need to contact your GP practice.\n\n"
            f"Details: {link}"
        ),
    )


def update(what: str, body: str, link: str) -> Words:
    return Words(
        sms=_sms(f"NHS: an update on delays to prescriptions {what}.", short_link(link), STOP),
        subject=f"Update: prescriptions {what}",
        email=f"{body}\n\nDetails: {link}",
    )
