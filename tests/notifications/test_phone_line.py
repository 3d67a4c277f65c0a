"""The practices' phone-line announcement: TwiML that speaks the current state of EPS."""

import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from twilio.request_validator import RequestValidator

from statuspage.publishing import open_incident, post_update, schedule_maintenance
from tests.fake_twilio_fixtures import AUTH_TOKEN, SITE, signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SITE_URL = SITE


def call(client, query="", method="post", token=AUTH_TOKEN):
    params = {"CallSid": "CA1", "From": "+441130000000"} if method == "post" else {}
    return signed(client, "/webhooks/twilio/voice" + query, params, method=method, token=token)


def spoken(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"] == "text/xml"
    return [say.text for say in ET.fromstring(response.content).iter("Say")]


def test_no_known_problems_is_one_short_sentence(client, broker):
    assert spoken(call(client)) == ["There are no known problems with electronic prescriptions."]


@pytest.fixture
def outage(broker, django_capture_on_commit_callbacks):
    return open_incident("Pharmacy Manager down", "Investigating.", "critical", {broker.component: "major_outage"})


def test_during_an_incident_it_says_what_and_that_callers_need_not_ring(client, outage):
    words = " ".join(spoken(call(client)))
    assert (
        "There is a problem sending electronic prescriptions to pharmacies in England that use Pharmacy Manager."
        in words
    )
    assert "You do not need to call us about them." in words


def test_a_practice_in_another_nation_hears_only_its_own(client, outage):
    assert spoken(call(client, "?nation=wales")) == ["There are no known problems with electronic prescriptions."]
    assert len(spoken(call(client, "?nation=england"))) == 3


def test_get_works_too_and_the_call_carries_on_to_the_practices_own_flow(client, outage):
    response = call(client, "?then=https://practice.example/queue", method="get")
    assert spoken(response)
    redirect = ET.fromstring(response.content).find("Redirect")
    assert redirect.text == "https://practice.example/queue"


def test_a_plain_http_next_step_is_not_followed_outside_development(client, broker, settings):
    settings.DEBUG = False
    response = call(client, "?then=http://practice.example/queue")
    assert ET.fromstring(response.content).find("Redirect") is None


def test_unsigned_or_tampered_calls_are_refused(client, broker):
    assert client.post("/webhooks/twilio/voice", {"CallSid": "CA1"}).status_code == 403
    assert call(client, token="not-our-token").status_code == 403
    signature = RequestValidator(AUTH_TOKEN).compute_signature(SITE + "/webhooks/twilio/voice?nation=wales", {})
    tampered = client.get("/webhooks/twilio/voice?nation=england", headers={"X-Twilio-Signature": signature})
    assert tampered.status_code == 403
    assert client.put("/webhooks/twilio/voice").status_code == 405


def test_maintenance_under_way_is_said_with_its_end_in_uk_time(client, broker):
    london = ZoneInfo("Europe/London")
    work = schedule_maintenance(
        "Upgrade",
        "Planned work.",
        [broker.component],
        datetime(2026, 12, 1, 1, 0, tzinfo=london),
        datetime(2026, 12, 1, 3, 0, tzinfo=london),
    )
    post_update(work, "in_progress", "Started.", {broker.component: "under_maintenance"})
    words = " ".join(spoken(call(client)))
    assert "Planned work until 3:00am may delay electronic prescriptions to pharmacies in England" in words
