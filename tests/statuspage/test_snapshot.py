import json

import pytest

from statuspage import snapshot
from statuspage.models import Component, Incident
from statuspage.transitions import set_component_status


@pytest.fixture
def folder(tmp_path, settings):
    settings.SNAPSHOT_DIR = tmp_path / "snapshot"
    return settings.SNAPSHOT_DIR


@pytest.mark.django_db
def test_the_snapshot_is_what_the_site_answers(client, demo, folder):
    assert snapshot.write()
    assert (folder / "index.html").read_bytes() == client.get("/").content
    summary = json.loads((folder / "api/v2/summary.json").read_text())
    assert summary == client.get("/api/v2/summary.json").json()
    incident = Incident.objects.latest("started_at")
    assert (folder / f"incidents/{incident.code}/index.html").exists()
    assert (folder / "components/national-services/index.html").exists()
    assert (folder / "history.atom").exists()


@pytest.mark.django_db
def test_writing_twice_at_one_version_does_nothing_the_second_time(demo, folder):
    assert snapshot.write()
    assert not snapshot.write()
    assert snapshot.write(force=True)


@pytest.mark.django_db(transaction=True)
def test_a_change_rewrites_the_snapshot_through_the_worker(demo, folder):
    # CELERY_TASK_ALWAYS_EAGER in tests: the task runs where it is enqueued, after commit.
    component = Component.objects.get(slug="eps-spine")
    set_component_status(component, "major_outage", "Spine down")
    components = json.loads((folder / "api/v2/components.json").read_text())["components"]
    assert {c["id"]: c["status"] for c in components}[component.code] == "major_outage"
    assert "Prescriptions are delayed everywhere." in (folder / "index.html").read_text()


@pytest.mark.django_db
def test_each_page_has_its_live_part_for_htmx_beside_it(client, demo, folder):
    # Open pages refresh their live part every 30 s: in a surge that is most requests, so nginx
    # must find it on disk as well as the whole page (deploy/nginx picks by the HX-Request header).
    assert snapshot.write()
    live = client.get("/history/", headers={"HX-Request": "true"}).content
    assert (folder / "history/index.hx.html").read_bytes() == live
    assert b"<html" not in live and b'id="live"' in live
    assert (folder / "cy/index.hx.html").read_bytes() == client.get("/cy/", headers={"HX-Request": "true"}).content
    assert not list(folder.glob("api/**/*.hx*"))
