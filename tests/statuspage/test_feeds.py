from xml.etree import ElementTree

import pytest

from statuspage.models import Incident

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_atom_feed_lists_incidents_with_their_updates(client, demo):
    response = client.get("/history.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert "Slow responses from NHS Spine" in titles
    assert len(titles) == Incident.objects.count()


def test_the_rss_feed_links_each_incident_to_its_page(client, demo):
    feed = ElementTree.fromstring(client.get("/history.rss").content)
    links = [i.findtext("link") for i in feed.iter("item")]
    incident = Incident.objects.latest("started_at")
    assert any(link.endswith(f"/incidents/{incident.code}/") for link in links)
    assert client.get("/history.rss")["Access-Control-Allow-Origin"] == "*"
