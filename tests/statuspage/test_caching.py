import gzip

import pytest
from django.utils.http import http_date

from statuspage.models import Component
from statuspage.transitions import set_component_status

pytestmark = pytest.mark.django_db


def test_pages_may_be_served_stale_while_revalidating_or_while_we_are_down(client, demo):
    response = client.get("/")
    control = response["Cache-Control"]
    assert "public" in control and "max-age=" in control
    assert "stale-while-revalidate=" in control and "stale-if-error=" in control
    assert response["ETag"] and response["Last-Modified"]
    assert "HX-Request" in response["Vary"]


def test_an_unchanged_page_is_answered_304(client, demo):
    first = client.get("/api/v2/summary.json")
    again = client.get("/api/v2/summary.json", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get("/api/v2/summary.json", headers={"If-Modified-Since": http_date()})
    assert since.status_code == 304


def test_a_different_etag_gets_the_full_answer(client, demo):
    assert client.get("/", headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_the_page_and_its_htmx_fragment_are_cached_apart(client, demo):
    client.get("/", headers={"HX-Request": "true"})
    assert b"<html" in client.get("/").content


def test_gzip_is_served_to_those_who_ask_with_its_own_etag(client, demo):
    plain = client.get("/")
    zipped = client.get("/", headers={"Accept-Encoding": "gzip, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] != plain["ETag"]


@pytest.mark.django_db(transaction=True)
def test_every_change_invalidates_cached_pages_at_once(client, demo):
    component = Component.objects.get(slug="cegedim-pharmacy-manager-wales")
    before = client.get("/api/v2/components.json")
    set_component_status(component, "major_outage", "Spine connection failed")
    after = client.get("/api/v2/components.json", headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    statuses = {c["id"]: c["status"] for c in after.json()["components"]}
    assert statuses[component.code] == "major_outage"
