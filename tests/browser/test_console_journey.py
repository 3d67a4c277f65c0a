"""The ops journey in a real browser: probes fail → sign in with a TOTP code → the auto-opened
draft → edit → preview → publish → texts reach the fake Twilio → resolve → the same people
hear it is fixed. Every page passes axe; signing in and publishing are done by keyboard alone."""

import re

import pytest
import requests

from tests.browser.axe import axe_violations
from tests.factories import PASSWORD, code_for, make_staff, subscriber
from tests.probe_docs import failing

pytestmark = pytest.mark.django_db(transaction=True)
AFFECTED = ["+447700900711", "+447700900712"]


def push_failing_probes(base: str, token: str, count: int = 3) -> None:
    for _ in range(count):
        response = requests.post(
            base + "/api/v1/probes",
            json=failing(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/health+json"},
            timeout=10,
        )
        assert response.status_code == 202, response.text


def sign_in_by_keyboard(page, base: str, user) -> None:
    page.goto(base + "/console/")
    assert page.url.startswith(base + "/console/sign-in/")
    assert axe_violations(page) == []
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # the header link
    page.keyboard.press("Tab")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(code_for(user))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Dashboard").wait_for()


def test_from_failing_probes_to_texts_and_back(page, live_server, broker, token, pharmacy, fake_twilio_api, settings):
    settings.SITE_URL = live_server.url
    fake_twilio_api.configure({"callbacks": []})  # no receipts arriving after the test ends
    for number in AFFECTED:
        subscriber(number, scope="pharmacy", pharmacy=pharmacy)
    subscriber("+447700900719", scope="nation", nation="scotland")
    ops = make_staff("ops", "publisher")
    refused = []  # anything our own pages do that their CSP blocks
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

    push_failing_probes(live_server.url, token)
    sign_in_by_keyboard(page, live_server.url, ops)

    drafts = page.locator(".console-drafts")
    assert "Waiting for you: 1 draft" in drafts.inner_text()
    # The holding notice's deadline, as a time on the clock.
    assert re.search(r"Published automatically at \d{1,2}:\d{2}[ap]m unless you act", drafts.inner_text())
    assert axe_violations(page) == []
    drafts.get_by_role("link").click()

    page.get_by_role("heading", name=re.compile("Problem sending prescriptions to pharmacies in England")).wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Title", exact=True).fill(
        "Pharmacy Manager pharmacies in England are not receiving prescriptions"
    )
    page.get_by_label("Internal notes (never public)").fill("Cegedim ticket 4471; on-call engineer engaged.")
    page.get_by_role("button", name="Save and preview").click()

    page.get_by_role("heading", name="Who will be told").wait_for()
    assert page.locator("#sms-recipients").inner_text() == "2 people"
    assert re.search(r"\d+ characters, GSM-7, 1 segment", page.locator("#sms-count").inner_text())
    frame = page.frame_locator("iframe.console-preview-frame")
    assert "You do not need to contact your GP practice" in frame.locator("main").inner_text()
    assert axe_violations(page) == []
    assert fake_twilio_api.messages == []  # the preview sent nothing

    page.locator("#publish").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Texts and emails").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Problem declared").click()
    page.wait_for_function("document.querySelector('#sent').textContent.trim() === '2'")
    assert sorted(m["to"] for m in fake_twilio_api.messages) == AFFECTED
    assert axe_violations(page) == []

    page.go_back()
    # The "Fixed" template sets the stage and the systems as well as the words.
    page.get_by_label("Start from a template").select_option(label="Fixed")
    page.get_by_role("button", name="Use template").click()
    assert page.get_by_label("Status", exact=True).input_value() == "resolved"
    assert page.get_by_label("Set the affected systems to").input_value() == "operational"
    assert "is fixed" in page.get_by_label("Public update", exact=True).input_value()
    page.get_by_role("button", name="Publish update").click()
    page.get_by_text("Update published.").wait_for()
    assert page.locator("#incident-status").inner_text() == "Resolved"
    texts = fake_twilio_api.messages
    resolution = [m for m in texts if "arriving again" in m["body"]]
    assert sorted(m["to"] for m in resolution) == AFFECTED  # the same people, and only them
    public = requests.get(live_server.url + "/", timeout=10).text
    assert "Cegedim ticket 4471" not in public
    assert [r for r in refused if "assets.nhs.uk" not in r] == []

    # The audit trail names who published and when.
    page.goto(live_server.url + "/console/audit/")
    trail = page.locator("main").inner_text()
    assert "incident.publish" in trail and "incident.update" in trail and "ops" in trail
    assert axe_violations(page) == []
