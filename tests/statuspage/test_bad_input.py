"""No input gets a 5xx: a NUL byte anywhere is refused at the door, with a page for people and a
problem in JSON for APIs; JSON nested past the limit is refused by the console API too."""

import pytest

from notifications.models import Subscriber

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/pharmacies/?q=ab%00cd", "/pharmacies/FW8%004/", "/subscribe/?pharmacy=%00", "/cy/pharmacies/?q=%00"],
)
def test_a_nul_byte_in_a_page_address_gets_a_page_saying_so(client, pharmacy, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "There is a problem with that address" in response.content.decode()


def test_a_nul_byte_in_an_api_question_gets_a_json_problem(client, pharmacy):
    response = client.get("/api/v1/advice?supplier=%00&nation=england")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"pointer": "query", "detail": "holds a NUL"}]


def test_a_nul_byte_in_a_form_is_refused_and_nothing_is_kept(client, pharmacy):
    form = {"follow": "pharmacy", "pharmacy": "FW844", "channel": "sms", "sms_address": "07700\x00900321"}
    response = client.post("/subscribe/", form)
    assert response.status_code == 400
    assert not Subscriber.objects.exists()
