import json

import pytest
from django.core.cache import cache

from statuspage import snapshot
from statuspage.models import Component, Incident
from statuspage.response_cache import VERSION_KEY
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


@pytest.mark.django_db
def test_a_change_right_after_a_write_is_written_too(demo, folder):
    # The worker read the version for the last write a moment ago; another process changes the page now.
    assert snapshot.write()
    cache.set(VERSION_KEY, cache.get(VERSION_KEY) + 1, None)
    assert snapshot.write()


@pytest.mark.django_db
def test_a_change_during_a_write_reaches_the_front_pages_before_the_rest(demo, folder, monkeypatch):
    # Another process changes Spine while this pass is on the component pages.
    spine = Component.objects.get(slug="eps-spine")
    written: list[str] = []
    real = snapshot._write_path

    def watched(directory, path):
        real(directory, path)
        written.append(path)
        if path == spine.get_absolute_url() and "changed" not in written:
            written.append("changed")
            Component.objects.filter(pk=spine.pk).update(status="major_outage")
            cache.set(VERSION_KEY, cache.get(VERSION_KEY) + 1, None)

    monkeypatch.setattr(snapshot, "_write_path", watched)
    snapshot.write()
    after = written[written.index("changed") + 1 :]
    assert after[:2] == ["/", "/cy/"] and "/api/v2/summary.json" in after[:10]
    summary = json.loads((folder / "api/v2/summary.json").read_text())
    assert {c["name"]: c["status"] for c in summary["components"]}[spine.name] == "major_outage"
    assert len(after) > 10  # then the rest of the pass goes on
