import pytest

from statuspage.models import Component, Incident
from statuspage.transitions import set_component_status
from tests.browser.axe import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_patient_sees_the_banner_the_systems_and_their_history(page, live_server, demo):
    set_component_status(Component.objects.get(slug="apotec-northern-ireland"), "degraded_performance", "slow")
    page.goto(live_server.url + "/")
    banner = page.locator(".status-banner")
    assert "Prescriptions are slow to reach some pharmacies in Northern Ireland" in banner.inner_text()
    assert "You do not need to contact your GP practice" in banner.inner_text()
    groups = page.locator("section.system h3")
    assert groups.count() == Component.objects.top_level().count()
    assert "Pharmacy systems in England" in groups.all_inner_texts()
    bars = page.locator(".uptime__bar")
    assert bars.count() == Component.objects.filter(showcase=True).count()
    assert bars.first.locator("li").count() == 90


def test_a_bad_day_tells_its_story_on_focus(page, live_server, demo):
    page.goto(live_server.url + "/")
    bad_day = page.locator(".uptime__bar li[tabindex='0']").first
    tip = bad_day.locator("span")
    assert not tip.is_visible() or tip.bounding_box()["width"] <= 1
    bad_day.focus()
    assert tip.bounding_box()["width"] > 50
    assert "%" in tip.inner_text()


def test_following_an_incident_to_its_permalink(page, live_server, demo):
    replay = Incident.objects.get(name__contains="England that use Pharmacy Manager")
    page.goto(live_server.url + "/history/")
    page.get_by_role("link", name=replay.name).click()
    page.wait_for_url(f"**/incidents/{replay.code}/")
    assert page.locator("h1").inner_text() == replay.name
    assert page.locator(".timeline__item").count() == 4


def test_the_page_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    banner = page.locator(".status-banner").inner_text()
    assert "All systems are working" in banner  # the demo starts all good
    page.get_by_role("link", name="Incident history").click()
    assert page.locator("h1").inner_text() == "Past problems and maintenance"
    context.close()


def test_the_live_part_refreshes_without_a_reload(page, live_server, demo):
    page.goto(live_server.url + "/")
    assert "every" in page.locator("#live").get_attribute("hx-trigger")
    page.evaluate("window.notReloaded = true")
    set_component_status(Component.objects.get(slug="eps-spine"), "major_outage", "Spine connection failed")
    # What the poll does every 30 s, done now:
    page.evaluate("htmx.ajax('GET', '/', {target: '#live', swap: 'outerHTML'})")
    page.wait_for_function("document.querySelector('.status-banner--critical') !== null")
    assert page.evaluate("window.notReloaded") is True


def public_paths():
    replay = Incident.objects.get(name__contains="England that use Pharmacy Manager")
    upcoming = Incident.objects.upcoming().get()
    site = Component.objects.filter(only_show_if_degraded=True).first()
    return [
        "/",
        "/history/",
        replay.get_absolute_url(),
        upcoming.get_absolute_url(),
        "/components/national-services/",
        "/components/cegedim-pharmacy-manager-england/",
        site.get_absolute_url(),
        "/dev/outbox/",
    ]


def test_every_public_page_has_no_accessibility_violations(page, live_server, demo):
    failures = {}
    for path in public_paths():
        page.goto(live_server.url + path)
        if violations := axe_violations(page):
            failures[path] = violations
    assert failures == {}


def test_the_accessibility_check_does_catch_violations(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    assert "image-alt" in [v["id"] for v in axe_violations(page)]
