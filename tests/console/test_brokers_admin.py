"""Admins add brokers, tune their thresholds and heartbeats, and issue and revoke tokens."""

import re

import pytest

from console.models import AuditEntry
from detection import tokens
from statuspage.models import Broker, Supplier

pytestmark = pytest.mark.django_db


def test_adding_a_broker(staff, broker):
    titan = Supplier.objects.create(name="Titan", vendor="Invatech", slug="titan", kind="pharmacy")
    response = staff("admin").post(
        "/console/brokers/new/",
        {"supplier": titan.pk, "nation": "wales", "heartbeat_seconds": 20, "probes_per_minute": 60},
    )
    added = Broker.objects.get(supplier=titan)
    assert response["Location"] == f"/console/brokers/{added.pk}/"
    assert added.nation == "wales" and added.heartbeat_seconds == 20 and added.component.group is not None


def test_one_central_broker_per_supplier_and_nation(staff, broker):
    response = staff("admin").post(
        "/console/brokers/new/",
        {"supplier": broker.supplier.pk, "nation": "england", "heartbeat_seconds": 30, "probes_per_minute": 60},
    )
    assert response.status_code == 400 and "already has a broker in England" in response.content.decode()


def test_thresholds_are_overridden_and_checked(staff, broker):
    admin = staff("admin")
    url = f"/console/brokers/{broker.pk}/edit/"
    ok = admin.post(url, {"heartbeat_seconds": 15, "probes_per_minute": 120, "t_degraded_latency_ms": 2500})
    assert ok.status_code == 302
    broker.refresh_from_db()
    assert broker.thresholds == {"degraded_latency_ms": 2500.0} and broker.heartbeat_seconds == 15
    entry = AuditEntry.objects.get(action="broker.edit")
    assert entry.before["heartbeat_seconds"] == 30 and entry.after["thresholds"] == {"degraded_latency_ms": 2500.0}
    bad = admin.post(url, {"heartbeat_seconds": 15, "probes_per_minute": 120, "t_bad_probes_to_worsen": 2.5})
    assert bad.status_code == 400 and "whole number" in bad.content.decode()


def test_a_token_is_shown_once_works_and_can_be_revoked(staff, broker):
    admin = staff("admin")
    page = admin.post(f"/console/brokers/{broker.pk}/tokens/", {"label": "supplier monitoring"}).content.decode()
    token = re.search(r'id="token" readonly value="([^"]+)"', page).group(1)
    assert tokens.authenticate(token).broker_id == broker.pk
    assert token not in admin.get(f"/console/brokers/{broker.pk}/").content.decode()
    assert token not in str(list(AuditEntry.objects.values()))
    row = broker.tokens.get()
    admin.post(f"/console/brokers/{broker.pk}/tokens/{row.pk}/revoke/")
    assert tokens.authenticate(token) is None
