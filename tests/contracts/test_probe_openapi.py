"""schemathesis drives /api/v1 (probes and advice) from its own OpenAPI document, over real HTTP."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from detection.openapi import DOCUMENT

# Schema-valid data may still be refused for what a schema cannot say: another broker's
# serviceId (403), a body over 16 KB (413), a stale reading (422), the rate (429). Never a 400.
config = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "403", "413", "422", "429"]},
            "negative_data_rejection": {"expected-statuses": ["400", "401", "405", "413", "415"]},
        }
    }
)
schema = schemathesis.openapi.from_dict(DOCUMENT, config=config).include(path="/api/v1/probes")

# Advice: which parameters go together (pharmacy alone, or supplier with nation) is beyond a
# schema, so schema-valid questions may get a 400; an unknown pharmacy or supplier a 404.
advice_config = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404"]}}}
)
advice_schema = schemathesis.openapi.from_dict(DOCUMENT, config=advice_config).include(path="/api/v1/advice")


@pytest.fixture
def generous_token(broker, token):
    broker.probes_per_minute = 1_000_000
    broker.save()
    return token


def test_the_document_is_served_and_is_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == DOCUMENT
    assert response.json()["openapi"] == "3.1.0"


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_probe_api_keeps_its_contract(case, live_server, generous_token):
    case.call_and_validate(base_url=live_server.url, headers={"Authorization": f"Bearer {generous_token}"})


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_without_a_token_every_answer_is_a_documented_problem(case, live_server, broker):
    response = case.call(base_url=live_server.url)
    assert response.status_code in (401, 405)
    assert response.json()["status"] == response.status_code


@pytest.mark.django_db(transaction=True)
@advice_schema.parametrize()
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_advice_api_keeps_its_contract(case, live_server, pharmacy):
    case.call_and_validate(base_url=live_server.url)
