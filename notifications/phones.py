"""Which mobile numbers we text: UK mobiles only, kept in E.164. Pure: no database, no network.

Every refusal says why in words a patient understands, so they can fix it or use email instead.
"""

import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.utils.translation import gettext as _
from phonenumbers import NumberParseException, PhoneNumberType

# Crown Dependencies share +44 but are separate networks and regulators: texts to them are
# international, and their numbers are not what "a UK mobile" means to a patient.
CROWN_DEPENDENCIES = {"GG": "Guernsey", "JE": "Jersey", "IM": "the Isle of Man"}
ALLOWED_PUNCTUATION = set(" -().+")
# Ofcom keeps 07700 900000-900999 for drama: never a real person, so the demo and tests use it.
DRAMA_RANGE = "7700900"


@dataclass(frozen=True)
class Refused(Exception):
    reason: str

    def __str__(self) -> str:
        return self.reason


def _suspicious(text: str) -> str | None:
    for ch in text:
        if ch.isascii():
            if not (ch.isdigit() or ch in ALLOWED_PUNCTUATION):
                return "Enter a mobile number using the digits 0 to 9 only"
            continue
        category = unicodedata.category(ch)
        if category in ("Cf", "Zl", "Zp") or category.startswith("C"):
            # Invisible and direction-changing characters make a number look like another.
            return "The number contains a hidden character. Type it in again"
        if category == "Nd" or category.startswith("N"):
            return "Enter the number using the digits 0 to 9 only"
        return "Enter a mobile number using the digits 0 to 9 only"
    return None


def normalise(text: str) -> str:
    """A UK mobile number in E.164 (+447700900123), or Refused with the reason."""
    text = (text or "").strip()
    if not text:
        raise Refused(_("Enter a mobile number"))
    if problem := _suspicious(text):
        raise Refused(problem)
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < 10 or len(digits) > 15:
        raise Refused(_("Enter a UK mobile number, like 07700 900123"))
    try:
        number = phonenumbers.parse(text, "GB")
    except NumberParseException:
        raise Refused(_("Enter a UK mobile number, like 07700 900123")) from None
    national = phonenumbers.national_significant_number(number)
    if number.country_code == 44 and national.startswith(DRAMA_RANGE) and len(national) == 10:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    region = phonenumbers.region_code_for_number(number)
    if region in CROWN_DEPENDENCIES:
        raise Refused(
            _("We can only text UK mobiles. We cannot text numbers in %(place)s")
            % {"place": CROWN_DEPENDENCIES[region]}
        )
    if number.country_code != 44:
        raise Refused(_("We can only text UK mobile numbers. They start 07 or +44 7"))
    if not phonenumbers.is_valid_number(number):
        raise Refused(_("This is not a valid UK mobile number. Check it and try again"))
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.PERSONAL_NUMBER or national.startswith("70"):
        raise Refused(_("Numbers that start 070 are not mobile numbers. Enter a mobile number"))
    if kind == PhoneNumberType.PAGER or national.startswith("76"):
        raise Refused(_("Numbers that start 076 are pagers, not mobiles. Enter a mobile number"))
    if kind == PhoneNumberType.PREMIUM_RATE:
        raise Refused(_("This number costs extra to call. Enter a mobile number"))
    if kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.VOIP):
        raise Refused(_("This looks like a landline. Enter a mobile number, starting 07"))
    if kind != PhoneNumberType.MOBILE:
        raise Refused(_("This is not a UK mobile number. Enter a number that starts 07"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def prefix(e164: str) -> str:
    """The number's range (+447700 9), for limits against a burst across one operator's block."""
    return e164[:8]


def mask(e164: str) -> str:
    """+447700900123 -> +447••••••123: enough to tell test numbers apart, no more."""
    if len(e164) <= 7:
        return "•" * len(e164)
    return e164[:4] + "•" * (len(e164) - 7) + e164[-3:]


def spoken(number: str) -> str:
    """Our own number as UK people write it (07700 900000), or "" when we have none to show.
    A short code (60060) or a number we cannot parse is shown as it was given."""
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, "GB")
    except NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
