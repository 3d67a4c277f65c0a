"""The home page's banner answers "is it me?" in each state, and status.json follows reach."""

import pytest

from statuspage.models import Component, Incident
from statuspage.publishing import open_incident, post_update
from statuspage.transitions import set_component_status

pytestmark = pytest.mark.django_db


def _all_good():
    for incident in Incident.objects.unresolved():
        post_update(incident, "resolved", "Fixed.", {c: "operational" for c in incident.components.all()})


def _page(client) -> str:
    return client.get("/").content.decode()


def _banner(html: str) -> str:
    return html.split('class="nhsuk-card nhsuk-card--feature status-banner')[1].split("</form>")[0]


def _indicator(client) -> str:
    return client.get("/api/v2/status.json").json()["status"]["indicator"]


@pytest.fixture
def good(demo):
    _all_good()


@pytest.fixture
def pharmacy_manager():
    return Component.objects.get(slug="cegedim-pharmacy-manager-england")


def test_all_good(client, good):
    html = _page(client)
    assert 'data-state="ok"' in html and "All systems are working" in html
    assert "What this means for you" not in _banner(html)
    assert 'id="banner-q"' in html and "Get alerts" in html
    assert _indicator(client) == "none"


def test_a_detected_outage_is_in_the_banner_before_ops_publish(client, good, pharmacy_manager):
    set_component_status(pharmacy_manager, "major_outage", "no probes for 5 minutes")
    html = _page(client)
    assert 'data-state="checking"' in html and "We are checking a problem" in html
    assert "Prescriptions are not reaching some pharmacies in England." in html
    assert "You do not need to contact your GP practice" in html
    # The banner speaks of pharmacies, not products; the systems list still names the product.
    banner = _banner(html)
    assert "Pharmacy Manager" not in banner and "Cegedim" not in banner
    # A system that serves about a third of England's pharmacies stopping is national news.
    assert _indicator(client) == "critical"


def test_a_published_outage_says_where_and_links_the_update(client, good, pharmacy_manager):
    incident = open_incident("Broker failure", "We know.", "critical", {pharmacy_manager: "major_outage"})
    html = _page(client)
    assert 'data-state="problem"' in html
    assert "Prescriptions are not reaching some pharmacies in England</h2>" in html
    assert f'href="{incident.get_absolute_url()}">Read the latest update' in html


def test_recovering(client, good, pharmacy_manager):
    incident = open_incident("Broker failure", "We know.", "critical", {pharmacy_manager: "major_outage"})
    post_update(incident, "monitoring", "Fixed, watching.", {pharmacy_manager: "operational"})
    html = _page(client)
    assert 'data-state="recovering"' in html and "Prescriptions are moving again" in html
    assert "Some may arrive later than usual" in html


def test_one_pharmacys_own_broker_is_named_and_stays_local(client, good):
    site = Component.objects.filter(broker__site__isnull=False).select_related("broker__site").first()
    set_component_status(site, "major_outage", "no probes")
    html = _page(client)
    assert 'data-state="local"' in html
    assert f"Prescriptions are not reaching {site.broker.site.name}, {site.broker.site.postcode}." in html
    assert _indicator(client) == "minor"
    group = Component.objects.get(pk=site.group_id)
    assert group.status == "operational"
