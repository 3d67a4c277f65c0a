"""Subscribing in a real browser: live pharmacy search, a texted code from the fake Twilio, no axe violations."""

import re

from tests.browser.axe import axe_violations


def test_a_patient_subscribes_for_their_pharmacy_by_text(page, live_server, demo, fake_twilio_api, settings):
    settings.SITE_URL = live_server.url
    fake_twilio_api.configure({"callbacks": []})  # receipts arriving after the test would hold its database open
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Get alerts", exact=True).click()
    assert axe_violations(page) == []
    # Conditional reveal: only the chosen answer's question shows.
    assert page.get_by_label("UK mobile number").is_visible()
    assert not page.get_by_label("Email address").is_visible()
    assert not page.get_by_label("Nation", exact=True).is_visible()
    page.get_by_role("radio", name="Email").check()
    assert page.get_by_label("Email address").is_visible() and not page.get_by_label("UK mobile number").is_visible()
    page.get_by_role("radio", name="Text message").check()
    assert "Text JOIN and your pharmacy's code to 07700 900000" in page.content()
    page.get_by_label("Pharmacy name, postcode or ODS code").fill("fw844")
    result = page.locator("#pharmacy-results input[value=FW844]")
    result.wait_for()  # htmx swapped the results in while typing
    result.check()
    page.get_by_label("UK mobile number").fill("07700 900456")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your phone").wait_for()
    assert axe_violations(page) == []
    [text] = fake_twilio_api.messages
    page.get_by_label("Enter the code").fill(re.search(r"\d{6}", text["body"]).group(0))
    page.get_by_role("button", name="Confirm").click()
    panel = page.locator(".nhsuk-panel")
    panel.get_by_role("heading", name="You're signed up for alerts").wait_for()
    assert "07••• •••456" in page.content() and "+447700900456" not in page.content()
    # How what they follow is doing now, on the same page.
    following = page.locator(".nhsuk-summary-list").first.inner_text()
    assert "Kirkstall Road Pharmacy" in following and "Working" in following
    assert axe_violations(page) == []

    # Adding a second pharmacy from the manage page, found by a home postcode in its district.
    page.get_by_label("Pharmacy name or postcode").fill("NG1 9ZZ")
    page.get_by_role("button", name="Find pharmacy").click()
    first = page.locator("input[name=pharmacy]").first
    added = page.locator(f"label[for={first.get_attribute('id')}]").inner_text().split(",")[0]
    first.check()
    page.get_by_role("button", name="Add pharmacy").click()
    page.get_by_role("button", name=f"Remove {added}").wait_for()
    assert added in page.locator(".nhsuk-summary-list").first.inner_text()
    assert axe_violations(page) == []


def test_mistakes_are_listed_at_the_top_and_pass_axe(page, live_server, demo):
    page.goto(live_server.url + "/subscribe/")
    page.get_by_label("UK mobile number").fill("020 7946 0000")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".nhsuk-error-summary")
    assert "landline" in summary.inner_text() and "choose your pharmacy" in summary.inner_text().lower()
    assert page.title().startswith("Error:")
    assert axe_violations(page) == []


def test_subscribing_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/subscribe/")
    page.get_by_label("Pharmacy name, postcode or ODS code").fill("FW844")
    page.get_by_role("button", name="Find pharmacy").click()
    assert page.locator("input[name=pharmacy][value=FW844]").is_checked()
    page.get_by_role("radio", name="Email").check()
    page.get_by_label("Email address").fill("pat@example.com")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    context.close()
