"""Demo subscribers for `make run`: numbers from Ofcom's drama range and example.com addresses,
so the demo's outages show texts going out without anyone real receiving them."""

from django.utils import timezone

from notifications.models import Subscriber, Subscription
from statuspage.models import Pharmacy

DEMO_PHARMACY = "FW844"


def _subscriber(channel: str, address: str, **follow) -> None:
    now = timezone.now()
    s = Subscriber(channel=channel, state=Subscriber.State.ACTIVE, confirmed_at=now)
    s.address = address
    s.save()
    Subscription.objects.create(subscriber=s, confirmed_at=now, **follow)


def subscribers() -> int:
    if Subscriber.objects.exists():
        return 0
    pharmacy = Pharmacy.objects.get(ods_code=DEMO_PHARMACY)
    others = list(Pharmacy.objects.exclude(pk=pharmacy.pk).order_by("ods_code")[:20])
    for n in range(10):
        _subscriber("sms", f"+4477009001{n:02d}", scope="pharmacy", pharmacy=pharmacy)
    for n, other in enumerate(others):
        _subscriber("sms", f"+4477009002{n:02d}", scope="pharmacy", pharmacy=other)
    for n, nation in enumerate(["england", "england", "scotland", "wales", "northern_ireland"]):
        _subscriber("sms", f"+4477009003{n:02d}", scope="nation", nation=nation)
    _subscriber("sms", "+447700900400", scope="all")
    _subscriber("email", "pat@example.com", scope="pharmacy", pharmacy=pharmacy)
    return Subscriber.objects.count()
