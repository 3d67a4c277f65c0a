"""Probe documents that are valid JSON but cannot be stored are refused with a pointer, never a 500;
a supplier's own serviceId is kept, and refused only when it names another broker of ours."""

import pytest

from statuspage.models import Broker, Probe
from tests.detection.test_probe_api import assert_problem, post
from tests.factories import make_staff, signed_in
from tests.probe_docs import healthy

pytestmark = pytest.mark.django_db


def with_check(key: str, *values) -> dict:
    doc = healthy()
    doc["checks"][key] = [{"observedValue": v} for v in values]
    return doc


@pytest.mark.parametrize(
    "key, values",
    [
        ("delivery:latency", [10**400]),
        ("outboundQueue:oldestMessageAge", [10**30]),
        ("delivery:throughput", [1e300]),
        ("outboundQueue:depth", [2**40]),
    ],
)
def test_a_number_beyond_what_we_store_is_a_400_with_a_pointer(client, broker, token, key, values):
    doc = with_check(key, *values)
    if key in ("outboundQueue:oldestMessageAge", "delivery:latency"):
        doc["checks"][key][0]["observedUnit"] = "s" if key.startswith("outbound") else "ms"
    assert_problem(post(client, doc, token), 400, pointer=f"/checks/{key}/0/observedValue")
    assert not Probe.objects.exists()


@pytest.mark.parametrize(
    "key, each", [("outboundQueue:depth", 2**31 - 1), ("delivery:throughput", 10**9)], ids=["depths", "throughputs"]
)
def test_instances_that_add_up_past_the_column_are_422_and_store_nothing(client, broker, token, key, each):
    assert_problem(post(client, with_check(key, each, each), token), 422, pointer=f"/checks/{key}")
    assert not Probe.objects.exists()


def test_deep_nesting_is_a_400_not_a_crash(client, broker, token):
    deep = '{"status": "pass", "notes": ' + "[" * 5_000 + "]" * 5_000 + "}"  # under the 16 KB cap
    body = assert_problem(post(client, deep, token), 400)
    assert "nested more than 32 levels" in body["detail"]


def test_a_suppliers_own_service_id_is_kept_and_shown(client, broker, token):
    assert post(client, healthy(serviceId="urn:cegedim:pm-broker-7"), token).status_code == 202
    assert Probe.objects.get().service_id == "urn:cegedim:pm-broker-7"
    ops = signed_in(make_staff("watcher", "viewer"))
    page = ops.get(f"/console/brokers/{broker.pk}/").content.decode()
    assert "urn:cegedim:pm-broker-7" in page


def test_a_service_id_naming_another_of_our_brokers_is_still_refused(client, broker, token):
    other = Broker.objects.exclude(pk=broker.pk).select_related("component").first()
    assert_problem(post(client, healthy(serviceId=other.component.slug), token), 403, pointer="/serviceId")
