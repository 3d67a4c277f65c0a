import pytest

from statuspage.brokers import central_broker, site_broker
from statuspage.models import Component, Pharmacy, StatusChange
from statuspage.status import ComponentStatus as S
from statuspage.transitions import set_component_status
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_status_change_is_recorded_with_its_reason():
    c = factories.component()
    change = set_component_status(c, S.MAJOR_OUTAGE, "Spine connection failed")
    c.refresh_from_db()
    assert c.status == S.MAJOR_OUTAGE
    assert c.status_reason == "Spine connection failed"
    assert (change.previous_status, change.status, change.cause) == (S.OPERATIONAL, S.MAJOR_OUTAGE, c.status_reason)


def test_repeating_the_same_status_adds_nothing_to_history():
    c = factories.component()
    set_component_status(c, S.DEGRADED_PERFORMANCE, "slow")
    assert set_component_status(c, S.DEGRADED_PERFORMANCE, "still slow") is None
    assert StatusChange.objects.filter(component=c).count() == 1
    c.refresh_from_db()
    assert c.status_reason == "still slow"


def test_a_group_rolls_up_from_its_children_and_records_why():
    group = factories.group()
    a = factories.component("A", "a", group=group)
    factories.component("B", "b", group=group)
    set_component_status(a, S.PARTIAL_OUTAGE, "errors")
    group.refresh_from_db()
    assert group.status == S.PARTIAL_OUTAGE
    assert "A" in group.status_reason
    set_component_status(a, S.OPERATIONAL, "recovered")
    group.refresh_from_db()
    assert group.status == S.OPERATIONAL
    assert [c.status for c in StatusChange.objects.filter(component=group)] == [S.PARTIAL_OUTAGE, S.OPERATIONAL]


def test_one_pharmacys_broker_down_shows_as_partial_for_the_nation():
    supplier = factories.supplier("positive-solutions-analyst", topology="per_site")
    pharmacy = Pharmacy.objects.create(
        ods_code="FA123",
        name="Station Road Pharmacy",
        address="1 Station Road",
        postcode="LS1 4AP",
        nation="england",
        system=supplier,
    )
    broker = site_broker(pharmacy)
    set_component_status(broker.component, S.MAJOR_OUTAGE, "no probes")
    assert broker.component.group.__class__.objects.get(pk=broker.component.group_id).status == S.PARTIAL_OUTAGE
    assert broker.component.only_show_if_degraded
    assert pharmacy.broker() == broker


def test_a_central_supplier_has_one_broker_per_nation():
    supplier = factories.supplier()
    first = central_broker(supplier, "england")
    assert central_broker(supplier, "england") == first
    wales = central_broker(supplier, "wales")
    assert wales != first
    assert Component.objects.get(pk=wales.pk).group.name == "Pharmacy systems in Wales"
