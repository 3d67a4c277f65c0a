"""The texts and emails patients get. Pure: given what broke, where, and a link.

One GSM-7 segment where possible (160 characters): plain ASCII, no curly quotes or dashes.
"""

from dataclasses import dataclass

from notifications.segments import tidy

STOP = "Reply STOP to end"


@dataclass(frozen=True)
class Words:
    sms: str
    subject: str
    email: str


def _sms(*parts: str) -> str:
    return tidy(" ".join(p for p in parts if p))


def alert(what: str, link: str) -> Words:
    """``what``: e.g. "pharmacies in England that use Pharmacy Manager"."""
    return Words(
        sms=_sms(
            f"NHS: prescriptions to {what} may be delayed.",
            "Your prescription is safe. You do not need to contact your GP practice.",
            link,
            STOP,
        ),
        subject=f"Prescriptions to {what} may be delayed",
        email=(
            f"There is a problem sending electronic prescriptions to {what}.\n\n"
            "Your prescription is safe. You do not need to contact your GP practice. "
            "If you need your medicine urgently, speak to your pharmacy.\n\n"
            f"We will tell you when it is fixed. Follow it at {link}"
        ),
    )


def resolution(what: str, link: str) -> Words:
    return Words(
        sms=_sms(f"NHS: prescriptions to {what} are arriving again.", "You do not need to do anything.", link, STOP),
        subject=f"Fixed: prescriptions to {what} are arriving again",
        email=(
            f"The problem sending electronic prescriptions to {what} is fixed.\n\n"
            "Prescriptions that were waiting are on their way. You do not need to contact your GP practice.\n\n"
            f"Details: {link}"
        ),
    )


def maintenance(what: str, until: str, link: str) -> Words:
    return Words(
        sms=_sms(
            f"NHS: planned work on {what} until {until}. Prescriptions may be delayed; they are safe.", link, STOP
        ),
        subject=f"Planned work: prescriptions to {what} may be delayed until {until}",
        email=(
            f"Planned work on {what} has started and should finish by {until}. Prescriptions may be delayed.\n\n"
            "Your prescription is safe. You do not need to contact your GP practice.\n\n"
            f"Details: {link}"
        ),
    )


def update(what: str, body: str, link: str) -> Words:
    return Words(
        sms=_sms(f"NHS: update on {what}.", link, STOP),
        subject=f"Update: prescriptions to {what}",
        email=f"{body}\n\nDetails: {link}",
    )
