"""The console API: scripted incidents and maintenance, with JSON errors that say what is wrong."""

import pytest
from django.test import RequestFactory

from console import staff as staff_accounts
from console.models import AuditEntry
from statuspage.models import Incident, IncidentDraft
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def as_role(role):
        user = make_staff(f"bot-{role}", role)
        request = RequestFactory().post("/")
        request.user = user
        token = staff_accounts.issue_api_token(request, user, "tooling")

        def call(method, path, body=None, **extra):
            headers = {"Authorization": f"Bearer {token}"}
            if method == "GET":
                return client.get(path, headers=headers)
            return client.post(path, body, content_type=extra.get("content_type", "application/json"), headers=headers)

        return call

    return as_role


def test_publish_update_and_resolve_by_script(api, broker):
    call = api("publisher")
    created = call(
        "POST",
        "/console/api/v1/incidents",
        {
            "name": "Pharmacy Manager down",
            "components": [broker.component.code],
            "body": "Problem {where}.",
            "publish": True,
        },
    )
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    assert created.json()["updates"][0]["body"] == "Problem to pharmacies in England that use Pharmacy Manager."
    update = call(
        "POST",
        f"/console/api/v1/incidents/{code}/updates",
        {"status": "resolved", "body": "Fixed.", "component_status": "operational"},
    )
    assert update.status_code == 201 and update.json()["status"] == "resolved"
    assert AuditEntry.objects.filter(via="api", username="bot-publisher").count() >= 3


def test_editors_draft_but_cannot_publish(api, broker):
    call = api("editor")
    body = {"name": "Problem", "components": [broker.component.code], "body": "Problem."}
    assert call("POST", "/console/api/v1/incidents", {**body, "publish": True}).status_code == 403
    assert not IncidentDraft.objects.exists()
    draft = call("POST", "/console/api/v1/incidents", body)
    assert draft.status_code == 201 and draft.json()["state"] == "open"
    assert call("POST", f"/console/api/v1/drafts/{draft.json()['id']}/publish").status_code == 403


@pytest.mark.parametrize(
    "body,status,pointer",
    [
        ({"name": "x", "components": ["nope"], "body": "y"}, 422, "/components"),
        ({"name": "x", "components": "abc", "body": "y"}, 422, "/components"),
        ({"components": [], "body": "y"}, 422, "/name"),
        ({"name": "x", "components": ["CODE"], "body": "{oops}"}, 422, "/body"),
        ({"name": "x", "components": ["CODE"], "body": "y", "impact": {"a": 1}}, 422, "/impact"),
        ({"name": "x", "components": ["CODE"], "body": "y", "impact": "apocalyptic"}, 422, "/impact"),
    ],
)
def test_bad_input_is_a_problem_with_a_pointer_and_nothing_is_kept(api, broker, body, status, pointer):
    body = {
        k: [broker.component.code if c == "CODE" else c for c in v] if k == "components" and isinstance(v, list) else v
        for k, v in body.items()
    }
    response = api("publisher")("POST", "/console/api/v1/incidents", body)
    assert response.status_code == status and response["Content-Type"] == "application/problem+json"
    assert pointer in [e["pointer"] for e in response.json()["errors"]]
    assert not IncidentDraft.objects.exists() and not Incident.objects.exists()


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_bodies_that_are_not_a_json_object(api, raw):
    response = api("publisher")("POST", "/console/api/v1/incidents", raw)
    assert response.status_code == 400 and "JSON" in response.json()["detail"]


def test_unknown_things_are_json_404s(api):
    call = api("viewer")
    assert call("GET", "/console/api/v1/incidents/nosuchcode").status_code == 404
    assert call("GET", "/console/api/v1/sends/999999").json()["status"] == 404


def test_revoked_and_made_up_tokens_are_refused(client, api):
    response = client.get("/console/api/v1/incidents", headers={"Authorization": "Bearer eps_staff_madeup"})
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"


def test_wrong_methods_and_unknown_paths_answer_in_json(api, client):
    call = api("viewer")
    response = client.delete("/console/api/v1/incidents")
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert response.json()["title"] == "Method Not Allowed"
    assert call("GET", "/console/api/v1/nothing-here").json()["status"] == 404
    assert client.get("/api/v1/nothing-here").json()["status"] == 404
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_a_scripted_incident_can_carry_its_welsh(api, broker, client):
    created = api("publisher")(
        "POST",
        "/console/api/v1/incidents",
        {
            "name": "Pharmacy Manager down",
            "name_cy": "Pharmacy Manager ddim yn gweithio",
            "components": [broker.component.code],
            "body": "Problem {where}. {what_to_do}",
            "body_cy": "Problem {where}. {what_to_do}",
            "publish": True,
        },
    )
    assert created.status_code == 201, created.json()
    incident = Incident.objects.get()
    update = incident.updates.get()
    assert incident.name_cy == "Pharmacy Manager ddim yn gweithio"
    # Placeholders are filled in Welsh for the Welsh notice.
    assert update.body_cy.startswith("Problem i fferyllfeydd yn Lloegr sy'n defnyddio Pharmacy Manager.")
    assert "Does dim angen i chi gysylltu â'ch meddygfa" in update.body_cy
    assert update.body.startswith("Problem to pharmacies in England that use Pharmacy Manager.")


def test_a_body_nested_past_the_limit_or_holding_a_nul_is_a_400_problem(api, broker):
    call = api("publisher")
    deep = call("POST", "/console/api/v1/incidents", '{"name": ' + "[" * 5000 + "]" * 5000 + "}")
    assert deep.status_code == 400 and "nested more than 32 levels" in deep.json()["detail"]
    nul = call("POST", "/console/api/v1/incidents", {"name": "Spine\x00down", "components": [broker.component.code]})
    assert nul.status_code == 400 and nul.json()["errors"] == [{"pointer": "/name", "detail": "holds a NUL"}]
    assert not Incident.objects.exists()
