"""Demo subscribers for `make run`: numbers from Ofcom's drama range and example.com addresses,
so the demo's outages show texts going out without anyone real receiving them."""

from django.utils import timezone

from demo.build import DEMO_PHARMACY
from notifications.models import Subscriber, Subscription
from statuspage.models import Pharmacy


def add_confirmed(channel: str, address: str, language: str = "en", **follow) -> Subscriber:
    """A subscriber who has already confirmed, following one thing: for the demo and tests only,
    since real sign-ups go through signup.start and a code or link."""
    now = timezone.now()
    s = Subscriber(channel=channel, state=Subscriber.State.ACTIVE, confirmed_at=now, language=language)
    s.address = address
    s.save()
    Subscription.objects.create(subscriber=s, confirmed_at=now, **follow)
    return s


def subscribers() -> int:
    if Subscriber.objects.exists():
        return 0
    pharmacy = Pharmacy.objects.get(ods_code=DEMO_PHARMACY)
    others = list(Pharmacy.objects.exclude(pk=pharmacy.pk).order_by("ods_code")[:20])
    for n in range(10):
        add_confirmed("sms", f"+4477009001{n:02d}", scope="pharmacy", pharmacy=pharmacy)
    for n, other in enumerate(others):
        # People in Wales chose Welsh: the demo's outbox shows texts in both languages.
        language = "cy" if other.nation == "wales" else "en"
        add_confirmed("sms", f"+4477009002{n:02d}", language, scope="pharmacy", pharmacy=other)
    for n, nation in enumerate(["england", "england", "scotland", "wales", "northern_ireland"]):
        add_confirmed("sms", f"+4477009003{n:02d}", "cy" if nation == "wales" else "en", scope="nation", nation=nation)
    add_confirmed("sms", "+447700900400", scope="all")
    add_confirmed("sms", "+447700900401", "cy", scope="pharmacy", pharmacy=pharmacy)
    add_confirmed("email", "pat@example.com", scope="pharmacy", pharmacy=pharmacy)
    return Subscriber.objects.count()
