"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium), headless.

Playwright's own browser downloads are never used. axe-core comes from npm.
"""

import shutil

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.axe import AXE
from tests.services import CI

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    missing = [what for what, ok in ((CHROMIUM, shutil.which(CHROMIUM)), (str(AXE), AXE.exists())) if not ok]
    for item in items:
        if "browser" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.browser)
        if missing:
            if CI:
                raise pytest.UsageError(f"CI=true but browser tests cannot run: missing {', '.join(missing)}")
            item.add_marker(pytest.mark.skip(reason=f"missing {', '.join(missing)} (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests
    # make between page actions are ordinary synchronous calls. Undone when the browser closes.
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as p:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()
