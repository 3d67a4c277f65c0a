"""From the manage page a subscriber sees how what they follow is doing, and adds or removes pharmacies."""

import pytest

from notifications import following, signup
from notifications.models import Subscriber, Subscription
from statuspage.lookup import find_pharmacies
from statuspage.transitions import set_component_status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber(pharmacy):
    subscriber_id = signup.start("sms", "+447700900321", [signup.Follow("pharmacy", pharmacy.pk)], client="t")
    return signup.activate(subscriber_id)


def _pages(subscriber):
    manage = f"/subscribe/manage/{signup.manage_token(subscriber)}/"
    unsubscribe = f"/subscribe/unsubscribe/{signup.unsubscribe_token(subscriber)}/"
    return manage, unsubscribe


def test_the_page_confirms_in_green_and_says_how_their_pharmacy_is_now(client, subscriber, broker):
    manage, _ = _pages(subscriber)
    html = client.get(manage).content.decode()
    assert 'class="nhsuk-panel"' in html and "re signed up for alerts" in html
    assert "Station Pharmacy, LS1 4AP" in html and "Working" in html
    set_component_status(broker.component, "major_outage", "no probes")
    html = client.get(manage).content.decode()
    assert "Problem now" in html


def test_a_pharmacy_is_added_and_removed(client, subscriber, broker):
    other = factories.pharmacy(broker.supplier, "FX222", "Corner Chemist", "LS2 8BB")
    manage, _ = _pages(subscriber)
    assert "Corner Chemist, LS2 8BB" in client.get(manage, {"q": "corner"}).content.decode()
    response = client.post(manage, {"action": "add", "pharmacy": "FX222"})
    assert response.status_code == 302
    assert set(subscriber.subscriptions.values_list("pharmacy__ods_code", flat=True)) == {"FW844", "FX222"}
    added = Subscription.objects.get(pharmacy=other)
    assert added.confirmed_at is not None  # the manage link proves the address is theirs
    client.post(manage, {"action": "remove", "follow": added.pk})
    assert list(subscriber.subscriptions.values_list("pharmacy__ods_code", flat=True)) == ["FW844"]


def test_the_last_thing_followed_cannot_be_removed_and_the_page_says_why(client, subscriber):
    manage, _ = _pages(subscriber)
    only = subscriber.subscriptions.get()
    response = client.post(manage, {"action": "remove", "follow": only.pk})
    assert response.status_code == 400
    assert "This is the only thing you follow" in response.content.decode()
    assert 'class="nhsuk-error-summary"' in response.content.decode()
    assert subscriber.subscriptions.count() == 1


def test_following_is_capped_and_nonsense_is_refused(client, subscriber, broker):
    manage, _ = _pages(subscriber)
    for n in range(following.MOST_FOLLOWED - 1):
        factories.pharmacy(broker.supplier, f"FY{n:03d}", f"Pharmacy {n}", "LS2 8BB")
        assert client.post(manage, {"action": "add", "pharmacy": f"FY{n:03d}"}).status_code == 302
    factories.pharmacy(broker.supplier, "FZ999", "One Too Many", "LS2 8BB")
    response = client.post(manage, {"action": "add", "pharmacy": "FZ999"})
    assert response.status_code == 400 and "You can follow up to 5 places" in response.content.decode()
    assert client.post(manage, {"action": "add", "pharmacy": "NOPE"}).status_code == 400
    assert client.post(manage, {"action": "remove", "follow": "x"}).status_code == 400
    assert subscriber.subscriptions.count() == following.MOST_FOLLOWED


def test_only_the_manage_link_can_change_what_is_followed(client, subscriber, broker):
    factories.pharmacy(broker.supplier, "FX222", "Corner Chemist", "LS2 8BB")
    _, unsubscribe = _pages(subscriber)
    client.post(unsubscribe, {"action": "add", "pharmacy": "FX222"})
    assert subscriber.subscriptions.count() == 1
    assert "Add a pharmacy" not in client.get(unsubscribe).content.decode()
    assert Subscriber.objects.get().state == "active"


def test_a_home_postcode_finds_the_pharmacies_in_its_district(pharmacy):
    assert find_pharmacies("LS1 9ZZ") == [pharmacy]  # Station Pharmacy is at LS1 4AP
    assert find_pharmacies("ls19zz") == [pharmacy]
    assert find_pharmacies("LS11 9ZZ") == []  # another district, though it starts the same
