"""Webhooks in the console: admins add and look after them; everyone sees them."""

import pytest

from console.models import AuditEntry
from integrations.models import Endpoint

pytestmark = pytest.mark.django_db


def test_an_admin_adds_one_in_the_console_and_sees_the_secret_once(staff, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    admin = staff("admin")
    html = admin.post("/console/webhooks/new/", {"url": "https://hooks.example.org/a", "contact": "it@example.org"})
    html = html.content.decode()
    endpoint = Endpoint.objects.get()
    assert endpoint.state == "active" and endpoint.created_by == admin.user
    assert endpoint.secret in html
    assert endpoint.secret not in admin.get(f"/console/webhooks/{endpoint.pk}/").content.decode()
    entry = AuditEntry.objects.get(action="webhook.create")
    assert "whsec_" not in str(entry.after)
    admin.post(f"/console/webhooks/{endpoint.pk}/disable/")
    endpoint.refresh_from_db()
    assert endpoint.state == "disabled" and AuditEntry.objects.filter(action="webhook.disable").exists()
    viewer = staff("viewer")
    assert "https://hooks.example.org/a" in viewer.get("/console/webhooks/").content.decode()
    assert viewer.post(f"/console/webhooks/{endpoint.pk}/enable/").status_code == 403
