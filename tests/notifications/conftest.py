"""A small world for notification tests: one pharmacy system, five people following different things."""

import pytest

from notifications.demo import add_confirmed
from notifications.models import Subscriber
from statuspage.models import Pharmacy
from statuspage.publishing import open_incident


def subscriber(number: str, **follow) -> Subscriber:
    return add_confirmed(Subscriber.Channel.SMS, number, **follow)


@pytest.fixture
def pharmacy(broker) -> Pharmacy:
    """Station Pharmacy (FW844), in England, on the broker's system."""
    return Pharmacy.objects.create(
        ods_code="FW844",
        name="Station Pharmacy",
        address="1 Station Road",
        postcode="LS1 4AP",
        nation="england",
        system=broker.supplier,
    )


@pytest.fixture
def people(broker, pharmacy):
    england = pharmacy
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
