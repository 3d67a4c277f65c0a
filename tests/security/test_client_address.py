"""Client addresses come from our own proxies only; per-client limits count an IPv6 /64 as one."""

import pytest
from django.test import RequestFactory

from common.client_address import client_ip, rate_key
from notifications import signup
from tests.notifications.test_subscribe_pages import ask

LB = "10.0.0.5"


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_a_node_reached_directly_ignores_a_forged_forwarded_for(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_our_proxy_the_address_it_appended_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The caller wrote 6.6.6.6 themselves; our load balancer appended what it saw.
    assert client_ip(request(LB, "6.6.6.6, 203.0.113.9")) == "203.0.113.9"


def test_hops_through_several_of_our_proxies_are_skipped_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.168.1.0/24"]
    assert client_ip(request(LB, "6.6.6.6, 203.0.113.9, 192.168.1.7, 10.1.1.1")) == "203.0.113.9"


def test_a_garbled_hop_falls_back_to_the_proxy_not_to_the_callers_words(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request(LB, "6.6.6.6, not-an-ip")) == LB


def test_without_trusted_proxies_forwarded_for_is_never_read(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request(LB, "203.0.113.9")) == LB


def test_an_ipv6_slash_64_counts_as_one_client():
    assert rate_key("2001:db8:1:2::1") == rate_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert rate_key("2001:db8:1:3::1") != rate_key("2001:db8:1:2::1")
    assert rate_key("::ffff:203.0.113.9") == "203.0.113.9"
    assert rate_key("203.0.113.9") == "203.0.113.9"


@pytest.mark.django_db
def test_behind_the_load_balancer_each_patient_has_their_own_limit(client, pharmacy, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for n in range(signup.PER_CLIENT):
        assert (
            ask(client, sms_address=f"07700 900{n:03d}", REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code
            == 302
        )
    assert (
        ask(client, sms_address="07700 900998", REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    )
    # Somebody else, through the same balancer, is not held back by the first.
    assert (
        ask(client, sms_address="07700 900999", REMOTE_ADDR=LB, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 302
    )


@pytest.mark.django_db
def test_many_addresses_in_one_ipv6_slash_64_share_one_limit(client, pharmacy):
    for n in range(signup.PER_CLIENT):
        assert ask(client, sms_address=f"07700 900{n:03d}", REMOTE_ADDR=f"2001:db8:5:6::{n + 1:x}").status_code == 302
    assert ask(client, sms_address="07700 900999", REMOTE_ADDR="2001:db8:5:6::ffff").status_code == 429
