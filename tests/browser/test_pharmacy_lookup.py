"""'Is my pharmacy affected?' in Chromium: live search, the answer, subscribing, and Welsh; axe-clean."""

import pytest

from statuspage.models import Pharmacy
from statuspage.transitions import set_component_status
from tests.browser.axe import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_patient_finds_their_pharmacy_and_is_told_what_to_do(page, live_server, demo):
    station = Pharmacy.objects.get(ods_code="FW844")
    set_component_status(station.broker().component, "major_outage", "Spine unreachable")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Is my pharmacy affected?").first.click()
    assert axe_violations(page) == []
    # Live results as they type (htmx), by postcode without its space.
    page.get_by_label("Pharmacy name, postcode or ODS code").fill(station.postcode.replace(" ", "").lower())
    result = page.locator("#pharmacy-results").get_by_role("link", name=station.name)
    result.wait_for()
    result.click()
    page.wait_for_url(f"**/pharmacies/{station.ods_code}/")
    answer = page.locator("#answer").inner_text()
    assert f"{station.system.name}, the system used by {station.name}, is not working" in answer
    assert "you do not need to contact your GP practice" in answer
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"Get alerts for {station.name}").click()
    page.wait_for_url("**/subscribe/?pharmacy=FW844")
    assert f"Chosen: {station.name}" in page.content()


def test_without_javascript_the_search_still_answers(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/pharmacies/")
    page.get_by_label("Pharmacy name, postcode or ODS code").fill("fw844")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/pharmacies/FW844/")
    name = Pharmacy.objects.get(ods_code="FW844").name
    assert page.locator(".nhsuk-caption-l").inner_text().startswith(name)
    context.close()


def test_a_reader_switches_to_welsh_by_keyboard_and_stays_in_welsh(page, live_server, demo):
    page.goto(live_server.url + "/pharmacies/FW844/")
    switch = page.get_by_role("link", name="Cymraeg")
    switch.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/cy/pharmacies/FW844/")
    assert page.locator("html").get_attribute("lang") == "cy"
    name = Pharmacy.objects.get(ods_code="FW844").name
    assert f"Mae presgripsiynau'n cyrraedd {name} fel arfer" in page.locator("#answer").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Chwilio am fferyllfa arall").click()
    page.wait_for_url("**/cy/pharmacies/")
    page.goto(live_server.url + "/cy/")
    assert "Ydy'r Gwasanaeth Presgripsiynau Electronig yn gweithio?" in page.locator("h1").inner_text()
    assert axe_violations(page) == []
