import pytest
from jsonschema import Draft202012Validator

from statuspage.models import Component, Incident
from statuspage.publishing import open_incident, post_update
from tests.contracts.statuspage_v2 import ENDPOINTS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoint_matches_the_statuspage_shape(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    errors = list(
        Draft202012Validator(ENDPOINTS[path], format_checker=Draft202012Validator.FORMAT_CHECKER).iter_errors(
            response.json()
        )
    )
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_read_endpoints_allow_cross_origin_get(client, demo, path):
    assert client.get(path, headers={"Origin": "https://example.org"})["Access-Control-Allow-Origin"] == "*"


def test_summary_holds_only_unresolved_incidents_and_upcoming_or_active_maintenance(client, demo):
    apotec = Component.objects.get(slug="apotec-northern-ireland")
    open_incident("Apotec slow in Northern Ireland", "Slower.", "minor", {apotec: "degraded_performance"}, "identified")
    data = client.get("/api/v2/summary.json").json()
    assert [i["status"] for i in data["incidents"]] == ["identified"]
    assert [m["status"] for m in data["scheduled_maintenances"]] == ["scheduled"]
    assert data["status"] == {"indicator": "minor", "description": "Minor Service Outage"}


def test_groups_list_their_children_and_children_point_back(client, demo):
    components = {c["id"]: c for c in client.get("/api/v2/components.json").json()["components"]}
    groups = [c for c in components.values() if c["group"]]
    assert len(groups) == Component.objects.groups().count()
    for group in groups:
        assert group["components"]
        for child in group["components"]:
            assert components[child]["group_id"] == group["id"]
            assert "components" not in components[child]


def test_incident_updates_carry_old_and_new_status(client, demo):
    replay = Incident.objects.get(name__contains="England that use Pharmacy Manager")
    incidents = client.get("/api/v2/incidents.json").json()["incidents"]
    data = next(i for i in incidents if i["id"] == replay.code)
    first = data["incident_updates"][-1]
    assert first["status"] == "investigating"
    assert first["affected_components"] == [
        {
            "code": replay.components.get().code,
            "name": "Pharmacy Manager (Cegedim) in England",
            "old_status": "operational",
            "new_status": "major_outage",
        }
    ]
    assert data["shortlink"].endswith(f"/incidents/{replay.code}/")
    assert data["impact"] == "critical"


def test_not_reporting_is_published_as_degraded_performance(client, demo):
    c = Component.objects.get(slug="emis-web-england")
    Component.objects.filter(pk=c.pk).update(status="not_reporting")
    data = {x["id"]: x for x in client.get("/api/v2/components.json").json()["components"]}
    assert data[c.code]["status"] == "degraded_performance"


def test_active_maintenance_turns_the_indicator_to_maintenance(client, demo):
    for incident in Incident.objects.unresolved():
        post_update(incident, "resolved", "Fixed.", {c: "operational" for c in incident.components.all()})
    upcoming = Incident.objects.upcoming().get()
    post_update(upcoming, "in_progress", "Started.", {c: "under_maintenance" for c in upcoming.components.all()})
    assert client.get("/api/v2/status.json").json()["status"]["indicator"] == "maintenance"
    active = client.get("/api/v2/scheduled-maintenances/active.json").json()["scheduled_maintenances"]
    assert [m["id"] for m in active] == [upcoming.code]


@pytest.mark.parametrize("path", ["/api/v2/summary.json", "/api/v1/advice", "/api/v1/openapi.json"])
def test_read_only_apis_refuse_writes_with_a_json_problem(client, path):
    response = client.post(path, {"x": "1"})
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "application/problem+json" and response.json()["status"] == 405
