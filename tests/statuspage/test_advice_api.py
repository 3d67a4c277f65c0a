"""GET /api/v1/advice: clinical systems ask whether the route to a pharmacy works."""

import jsonschema
import pytest

from detection.openapi import DOCUMENT
from statuspage import response_cache
from statuspage.publishing import open_incident
from statuspage.transitions import set_component_status
from tests import factories

pytestmark = pytest.mark.django_db

SCHEMA = DOCUMENT["components"]["schemas"]["Advice"]


def _get(client, **params):
    return client.get("/api/v1/advice", params)


def test_a_working_route_says_send_electronically(client, pharmacy):
    response = _get(client, pharmacy="FW844")
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, SCHEMA)
    assert body["advice"] == "send_electronically" and body["working"] is True
    assert body["pharmacy"]["ods_code"] == "FW844" and body["supplier"]["name"] == "Pharmacy Manager"
    assert body["incident"] is None
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_a_failed_broker_says_print_paper_and_links_the_incident(client, pharmacy, broker):
    broker.last_probe_at = None
    open_incident("Pharmacy Manager down", "We are investigating.", "critical", {broker.component: "major_outage"})
    body = _get(client, pharmacy="fw844").json()  # codes in any case
    jsonschema.validate(body, SCHEMA)
    assert body["advice"] == "print_paper_for_urgent" and body["status"] == "major_outage"
    assert body["incident"]["name"] == "Pharmacy Manager down"
    assert body["incident"]["url"].endswith(f"/incidents/{body['incident']['id']}/")
    assert "FP10" in body["guidance"]


@pytest.mark.django_db(transaction=True)
def test_the_answer_changes_when_the_status_does_despite_the_cache(client, pharmacy, broker):
    assert _get(client, pharmacy="FW844").json()["advice"] == "send_electronically"
    set_component_status(broker.component, "degraded_performance", "slow")
    assert _get(client, pharmacy="FW844").json()["advice"] == "expect_delays"


def test_by_supplier_and_nation(client, broker):
    body = _get(client, supplier=broker.supplier.slug, nation="wales").json()
    jsonschema.validate(body, SCHEMA)
    assert body["pharmacy"] is None and body["nation"] == "wales"
    assert body["route"][-1]["name"] == "Pharmacy Manager in Wales" or body["route"]


@pytest.mark.parametrize(
    "params, status, words",
    [
        ({}, 400, "Ask with pharmacy"),
        ({"pharmacy": "12345"}, 400, "not a pharmacy ODS code"),
        ({"pharmacy": "F<scr"}, 400, "not a pharmacy ODS code"),
        ({"pharmacy": "FZZZ9"}, 404, "no pharmacy with the ODS code FZZZ9"),
        ({"pharmacy": "FW844", "nation": "wales"}, 400, "not both"),
        ({"supplier": "cegedim-pharmacy-manager"}, 400, "supplier=<slug> and nation"),
        ({"supplier": "cegedim-pharmacy-manager", "nation": "mars"}, 400, "nation must be one of"),
        ({"supplier": "nobody", "nation": "wales"}, 404, "no supplier"),
        ({"supplier": "\x00", "nation": "england"}, 400, "NUL character"),
    ],
)
def test_bad_questions_get_a_json_problem(client, pharmacy, params, status, words):
    response = _get(client, **params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert words in response.json()["detail"]


def test_a_per_site_supplier_must_be_asked_by_pharmacy(client, db):
    factories.supplier(slug="analyst", topology="per_site")
    response = _get(client, supplier="analyst", nation="england")
    assert response.status_code == 400 and "pharmacy=" in response.json()["detail"]


def test_unknown_parameters_share_one_cache_entry(client, pharmacy):
    _get(client, pharmacy="FW844", x="1")
    _get(client, pharmacy="FW844", x="2")
    assert sum(1 for key in response_cache._local if "/api/v1/advice" in key) == 1
