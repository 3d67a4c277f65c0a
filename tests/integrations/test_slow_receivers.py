"""A webhook receiver that trickles, hangs or answers without end costs us one deadline and 64 KB,
and never holds up the other receivers' posts."""

import pytest

from integrations import delivery, endpoints
from integrations.models import Delivery
from statuspage.transitions import set_component_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def receivers(stranger, receiver, settings):
    """A trickling, a silent and a greedy receiver, and a good one, all following everything."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    settings.WEBHOOK_DEADLINE_SECONDS = 1.0
    found = {"slow": stranger("trickle", interval=1.0), "silent": stranger("hang"), "greedy": stranger("huge")}
    for url in [s.url + "/hook" for s in found.values()] + [receiver.url]:
        endpoint, _ = endpoints.register(url, "integrator@example.org")
        endpoints.confirm(endpoint)
    return found


def posted(broker) -> dict[str, tuple[str, Delivery]]:
    """Posts every delivery about the broker's component at once; by receiver address, what became of it."""
    rows = Delivery.objects.filter(body__contains=f'"component_id":"{broker.component.code}"')
    outcome = delivery.deliver_many(list(rows.values_list("pk", flat=True)))
    return {d.endpoint.url: (outcome[d.pk], d) for d in rows.select_related("endpoint")}


def test_a_trickling_or_silent_receiver_is_cut_off_at_the_deadline_and_tried_again_later(receivers, receiver, broker):
    set_component_status(broker.component, "major_outage", "down")
    results = posted(broker)
    for name in ("slow", "silent"):
        outcome, row = results[receivers[name].url + "/hook"]
        assert outcome == "retry"
        assert row.last_error == "No answer within 1 seconds"
        assert (row.state, row.lease_until) == ("pending", None)
    assert results[receiver.url][0] == "delivered"
    assert len(receiver.requests) == 1


def test_a_receiver_answering_without_end_is_read_no_further_than_64_kb(receivers, broker):
    set_component_status(broker.component, "major_outage", "down")
    outcome, row = posted(broker)[receivers["greedy"].url + "/hook"]
    assert outcome == "delivered" and row.last_status == 200
    assert receivers["greedy"].was_cut_off()  # we closed the connection long before its 300 MB


def test_a_slow_post_is_leased_for_longer_than_its_deadline(settings):
    settings.WEBHOOK_DEADLINE_SECONDS = 10.0
    assert delivery.lease().total_seconds() > 2 * settings.WEBHOOK_DEADLINE_SECONDS
