"""Every console page at a phone's width (390 px): axe clean, target sizes included, nothing wider
than the screen. Ops are paged at night and open the console on their phone."""

import pytest
from django.utils import timezone

from console import staff as staff_accounts
from detection import drafts
from notifications.models import Notice
from statuspage.models import Broker, Incident, IncidentDraft
from statuspage.publishing import open_incident
from tests.browser.axe import axe_violations
from tests.browser.test_console_journey import sign_in_by_keyboard
from tests.factories import make_staff

pytestmark = pytest.mark.django_db(transaction=True)
# What sticks out past the right edge, outside a table's own scrolling box: to say what to fix.
OUTSIDE = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest('.console-table-scroll .nhsuk-table'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className)"""


def test_every_console_page_passes_axe_at_390_px(browser, live_server, demo):
    admin = make_staff("nightshift", "admin")
    staff_accounts.create_enrolled("colleague", "colleague@nhs.example", "viewer", "another long passphrase 7")
    broker = Broker.objects.select_related("component").filter(site__isnull=True).first()
    drafts.on_status_change(broker, "major_outage", "No probes for 5 minutes", timezone.now())
    draft = IncidentDraft.objects.get(state="open")
    incident = Incident.objects.unresolved().first() or open_incident(
        "Problem", "We know.", "major", {broker.component: "major_outage"}
    )
    notice = Notice.objects.first()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    sign_in_by_keyboard(page, live_server.url, admin)
    pages = [
        "/console/",
        "/console/incidents/",
        "/console/incidents/new/",
        f"/console/drafts/{draft.pk}/",
        f"/console/drafts/{draft.pk}/preview/",
        f"/console/incidents/{incident.code}/",
        "/console/maintenance/",
        "/console/maintenance/new/",
        "/console/sends/",
        f"/console/brokers/{broker.pk}/",
        f"/console/brokers/{broker.pk}/edit/",
        "/console/brokers/new/",
        "/console/staff/",
        "/console/webhooks/",
        "/console/webhooks/new/",
        "/console/audit/",
        "/console/account/",
    ]
    if notice:
        pages.append(f"/console/sends/{notice.pk}/")
    found = {}
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        if problems := axe_violations(page):
            found[path] = problems
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            culprits = page.evaluate(OUTSIDE)
            found.setdefault(path, []).append({"id": "wider-than-the-screen", "by": overflow, "what": culprits})
    context.close()
    assert found == {}, "\n".join(f"{path}: {problems}" for path, problems in found.items())
