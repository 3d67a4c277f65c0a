"""The banner in each state a patient may meet, at desktop and phone widths, with axe clean."""

import pytest

from statuspage.models import Component, Incident
from statuspage.publishing import open_incident, post_update
from statuspage.transitions import set_component_status
from tests.browser.axe import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_banner_answers_is_it_me_through_a_whole_outage(browser, live_server, demo, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    for incident in Incident.objects.unresolved():
        post_update(incident, "resolved", "Fixed.", {c: "operational" for c in incident.components.all()})
    site = Component.objects.filter(broker__site__isnull=False).select_related("broker__site").first()
    broker = Component.objects.get(slug="cegedim-pharmacy-manager-england")

    def banner(state: str) -> str:
        # A new address each time: the page may be kept by the browser for CACHE_MAX_AGE, as it should.
        page.goto(f"{live_server.url}/?state={state}")
        shown = page.locator(f".status-banner[data-state='{state}']")
        assert shown.is_visible()
        assert axe_violations(page) == [], state
        # The search and the sign-up are on the first screen, whatever the state.
        assert page.get_by_role("searchbox", name="Check your pharmacy").is_visible()
        assert page.get_by_role("link", name="Get alerts", exact=True).is_visible()
        return shown.inner_text()

    assert "All systems are working" in banner("ok")

    set_component_status(site, "major_outage", "no probes")
    text = banner("local")
    assert f"Prescriptions are not reaching {site.broker.site.name}" in text
    set_component_status(site, "operational", "probes again")

    set_component_status(broker, "major_outage", "no probes for 5 minutes")
    text = banner("checking")
    assert "We are checking a problem" in text
    assert "Prescriptions are not reaching some pharmacies in England." in text
    assert "You do not need to contact your GP practice." in text

    incident = open_incident("Broker failure", "We know.", "critical", {broker: "major_outage"})
    assert "Prescriptions are not reaching some pharmacies in England" in banner("problem")
    page.get_by_role("link", name="Read the latest update").click()
    page.wait_for_url(f"**/incidents/{incident.code}/")

    post_update(incident, "monitoring", "Fixed, watching.", {broker: "operational"})
    assert "Prescriptions are moving again" in banner("recovering")

    # The search in the banner finds the pharmacy (one match goes straight to its page).
    page.get_by_role("searchbox", name="Check your pharmacy").fill(site.broker.site.postcode)
    page.get_by_role("button", name="Check").click()
    page.wait_for_url(f"**/pharmacies/{site.broker.site.ods_code}/")
    assert page.locator("h1").inner_text() == "Prescriptions are reaching this pharmacy"
    context.close()
