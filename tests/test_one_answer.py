"""Every channel answers from the same status the public page shows: page, lookup, API, text, phone, webhooks."""

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest

from statuspage.publishing import open_incident
from tests.fake_twilio_fixtures import AUTH_TOKEN, SITE, signed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "status, advice",
    [
        ("operational", "send_electronically"),
        ("major_outage", "print_paper_for_urgent"),
        ("degraded_performance", "expect_delays"),
    ],
)
def test_one_state_one_answer_everywhere(client, settings, pharmacy, broker, status, advice):
    settings.SITE_URL, settings.TWILIO_AUTH_TOKEN = SITE, AUTH_TOKEN
    if status != "operational":
        open_incident("Pharmacy Manager in England", "Investigating.", "major", {broker.component: status})

    page_status = next(
        c for c in client.get("/api/v2/components.json").json()["components"] if c["id"] == broker.component.code
    )["status"]
    api = client.get("/api/v1/advice", {"pharmacy": "FW844"}).json()
    assert api["advice"] == advice and page_status == api["status"] == status

    sentence = api["summary"]
    lookup = unescape(re.sub(r"\s+", " ", client.get("/pharmacies/FW844/").content.decode()))
    assert sentence in lookup
    text = unescape(
        re.sub(
            r"<[^>]+>",
            " ",
            signed(client, "/webhooks/twilio/sms", {"From": "+447700900555", "Body": "STATUS FW844"}).content.decode(),
        )
    )
    assert sentence in text

    spoken = " ".join(
        s.text for s in ET.fromstring(signed(client, "/webhooks/twilio/voice", {"CallSid": "CA1"}).content).iter("Say")
    )
    if status == "operational":
        assert spoken == "There are no known problems with electronic prescriptions."
    else:
        assert "to pharmacies in England that use Pharmacy Manager" in spoken
