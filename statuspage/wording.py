"""The domain's words: times and amounts the way GOV.UK and NHS.UK write them, and whose
prescriptions an outage touches, said the same way on the page, in texts and in drafts."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from statuspage.models import Broker, Supplier

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


def what_to_do() -> str:
    return _(
        "Your prescription is safe. You do not need to contact your GP practice. "
        "If you need your medicine quickly, speak to your pharmacy."
    )


def in_nation(nation: str) -> str:
    # Whole phrases: Welsh mutates a nation's name after "yn" (yng Nghymru, yn yr Alban).
    return {
        "england": _("in England"),
        "scotland": _("in Scotland"),
        "wales": _("in Wales"),
        "northern_ireland": _("in Northern Ireland"),
    }[nation]


PROFESSIONAL_GUIDANCE = (
    "Prescriptions sent electronically may not reach the pharmacy. For urgent items, print a paper "
    "prescription (FP10) and give it to the patient. Pharmacies can make an emergency supply where "
    "clinically appropriate. Do not cancel and re-send prescriptions already sent: they will arrive "
    "when the service recovers."
)


def who(broker: Broker) -> str:
    supplier, where = broker.supplier, in_nation(broker.nation)
    if broker.site_id:
        return f"{broker.site.name}, {broker.site.postcode}"
    if supplier.kind == Supplier.Kind.GP:
        return _("GP practices %(where)s that use %(system)s") % {"where": where, "system": supplier.name}
    return _("pharmacies %(where)s that use %(system)s") % {"where": where, "system": supplier.name}


def towards(broker: Broker) -> str:
    """Whose prescriptions, with their direction: GP systems send them, pharmacy systems receive
    them. Whole phrases, because Welsh mutates the noun after "o" (o feddygfeydd)."""
    supplier, where = broker.supplier, in_nation(broker.nation)
    if broker.site_id:
        return _("to %(who)s") % {"who": who(broker)}
    if supplier.kind == Supplier.Kind.GP:
        return _("from GP practices %(where)s that use %(system)s") % {"where": where, "system": supplier.name}
    return _("to pharmacies %(where)s that use %(system)s") % {"where": where, "system": supplier.name}


def describe(brokers: list[Broker]) -> str:
    """Whose prescriptions: "to pharmacies in England that use Pharmacy Manager" (GP systems send,
    so "from GP practices ...")."""
    if brokers:
        names = sorted({towards(b) for b in brokers})
        return names[0] if len(names) == 1 else _(" and ").join(names)
    return _("everywhere in the UK")


def describe_short(brokers: list[Broker]) -> str:
    """The same in fewer characters, for texts: "to Pharmacy Manager pharmacies in England"."""
    if len(brokers) != 1:
        return describe(brokers)
    b = brokers[0]
    if b.site_id:
        return _("to %(who)s") % {"who": who(b)}
    if b.supplier.kind == Supplier.Kind.GP:
        return _("from %(system)s GP practices %(where)s") % {"system": b.supplier.name, "where": in_nation(b.nation)}
    return _("to %(system)s pharmacies %(where)s") % {"system": b.supplier.name, "where": in_nation(b.nation)}
