"""In Chromium: public pages run under a strict CSP with nothing refused (so no inline script or
style slipped in), and the manage page's buttons work under its referrer policy."""

import pytest

from notifications import signup
from notifications.models import Subscriber
from statuspage.models import Pharmacy
from tests.browser.axe import axe_violations

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.mark.parametrize("path", ["/", "/cy/", "/history/", "/subscribe/", "/pharmacies/FW844/", "/webhooks/"])
def test_public_pages_run_under_a_strict_csp_with_nothing_refused(page, live_server, demo, path):
    page.add_init_script(WATCH)
    response = page.goto(live_server.url + path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    assert axe_violations(page) == []


def test_the_manage_pages_buttons_stop_then_delete(page, live_server, demo):
    pharmacy = Pharmacy.objects.get(ods_code="FW844")
    subscriber_id = signup.start("sms", "+447700900777", [signup.Follow("pharmacy", pharmacy.pk)], client="t")
    subscriber = signup.activate(subscriber_id)
    response = page.goto(f"{live_server.url}/subscribe/manage/{signup.manage_token(subscriber)}/")
    assert response.headers["referrer-policy"] == "same-origin"
    assert "07••• •••777" in page.content() and "900777" not in page.content()
    page.get_by_role("button", name="Stop messages").click()
    page.get_by_text("You have stopped these messages").wait_for()
    assert Subscriber.objects.get(pk=subscriber_id).state == "opted_out"
    page.get_by_role("button", name="Delete my details").click()
    page.get_by_role("heading", name="Your details are deleted").wait_for()
    assert not Subscriber.objects.filter(pk=subscriber_id).exists()


def test_an_emails_unsubscribe_link_page_stops_messages_in_the_browser(page, live_server, demo):
    subscriber_id = signup.start("email", "pat@example.com", [signup.Follow("all")], client="t")
    subscriber = signup.activate(subscriber_id)
    page.goto(f"{live_server.url}/subscribe/unsubscribe/{signup.unsubscribe_token(subscriber)}/")
    assert "p•••@example.com" in page.content()
    assert page.get_by_role("button", name="Stop my old links working").count() == 0  # unsubscribe-only
    page.get_by_role("button", name="Stop messages").click()
    page.get_by_text("You have stopped these messages").wait_for()
    assert Subscriber.objects.get(pk=subscriber_id).state == "opted_out"
