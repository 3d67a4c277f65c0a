"""A small world for notification tests: one pharmacy system, five people following different things."""

import pytest

from notifications.models import Subscriber, Subscription
from statuspage.models import Pharmacy
from statuspage.publishing import open_incident


def subscriber(number: str, **follow) -> Subscriber:
    s = Subscriber(channel=Subscriber.Channel.SMS, state=Subscriber.State.ACTIVE)
    s.confirmed_at = s.created_at
    s.address = number
    s.save()
    Subscription.objects.create(subscriber=s, confirmed_at=s.created_at, **follow)
    return s


@pytest.fixture
def people(broker):
    england = Pharmacy.objects.create(
        ods_code="FW844",
        name="Station Pharmacy",
        address="1 Station Road",
        postcode="LS1 4AP",
        nation="england",
        system=broker.supplier,
    )
    wales = Pharmacy.objects.create(
        ods_code="FA123",
        name="Castle Pharmacy",
        address="2 Castle St",
        postcode="CF10 1AA",
        nation="wales",
        system=broker.supplier,
    )
    return {
        "mine": subscriber("+447700900101", scope="pharmacy", pharmacy=england),
        "nation": subscriber("+447700900102", scope="nation", nation="england"),
        "all": subscriber("+447700900103", scope="all"),
        "wales": subscriber("+447700900104", scope="pharmacy", pharmacy=wales),
        "scotland": subscriber("+447700900105", scope="nation", nation="scotland"),
    }


def declare(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return open_incident(
            "Problem sending prescriptions to pharmacies in England that use Pharmacy Manager",
            "We are investigating.",
            "major",
            {broker.component: "major_outage"},
        )
