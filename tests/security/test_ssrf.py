"""Outbound calls a user can point somewhere (webhooks, pull probes) reach only the public
internet: checked on the address actually connected to, with errors that map nothing inside."""

import asyncio
import socket

import pytest
import uvloop

from common import addresses, loop, outbound
from detection import pull
from integrations import delivery, endpoints
from statuspage.models import Probe
from tests.integrations.conftest import hook, receiver  # noqa: F401 -- fixtures
from tests.integrations.test_webhook_delivery import of, set_component_status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b:1::a00:1",  # local-use NAT64
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2001:0:4136:e378::1",  # Teredo
        "224.0.0.1",
        "0.0.0.0",
        "not an address",
    ],
)
def test_special_addresses_are_refused(address):
    assert addresses.refused(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.0.1", "2a00:1450:4009:81f::200e"])
def test_public_addresses_pass(address):
    assert not addresses.refused(address)


def test_an_operator_can_allow_a_private_network_and_nothing_more():
    hscn = addresses.parse_networks(["10.20.0.0/16"])
    assert not addresses.refused("10.20.1.1", hscn)
    assert addresses.refused("10.21.1.1", hscn)
    assert addresses.refused("169.254.169.254", hscn)


@pytest.fixture
def rebinding(monkeypatch):
    """rebind.example answers a public address to the first lookup and 127.0.0.1 to every one
    after: what an attacker's DNS server does between our check and our connection."""
    real = socket.getaddrinfo
    asked = []

    def lookup(host, port, *args, **kwargs):
        if host == "rebind.example":
            asked.append(host)
            address = "93.184.216.34" if len(asked) == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    # uvloop resolves names in C, out of the patch's reach: a loop of the standard library's, and
    # pools of its own, for this test only.
    monkeypatch.setattr(uvloop, "new_event_loop", asyncio.new_event_loop)
    monkeypatch.setattr(loop, "_state", {"pid": None, "loop": None})
    monkeypatch.setattr(outbound, "_pools", {})
    monkeypatch.setattr(outbound, "_policies", {})
    yield asked
    if loop._state["loop"] is not None:
        loop._state["loop"].call_soon_threadsafe(loop._state["loop"].stop)


def test_a_webhook_name_that_rebinds_to_loopback_is_never_connected_to(hook, receiver, broker, settings, rebinding):  # noqa: F811
    endpoint, _ = hook
    port = receiver.url.split(":")[2].split("/")[0]
    endpoint.url = f"http://rebind.example:{port}/hooks/eps"
    endpoint.save()
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    settings.WEBHOOK_DEADLINE_SECONDS = 1.0
    set_component_status(broker.component, "major_outage", "down")
    row = of(broker.component)
    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert receiver.requests == []
    assert rebinding == ["rebind.example"], "looked up once, and connected to what was checked"


@pytest.mark.parametrize(
    "url",
    ["http://[::ffff:127.0.0.1]:{port}/hooks/eps", "http://[64:ff9b::7f00:1]:{port}/hooks/eps"],
)
def test_a_webhook_to_a_disguised_loopback_address_is_refused(hook, receiver, broker, settings, url):  # noqa: F811
    endpoint, _ = hook
    endpoint.url = url.format(port=receiver.url.split(":")[2].split("/")[0])
    endpoint.save()
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    set_component_status(broker.component, "major_outage", "down")
    row = of(broker.component)
    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert receiver.requests == [] and row.last_error.startswith("Refused")


def test_delivery_errors_do_not_say_how_a_port_failed(hook, broker):  # noqa: F811
    endpoint, _ = hook
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    endpoint.url = f"http://127.0.0.1:{port}/"
    endpoint.save()
    set_component_status(broker.component, "major_outage", "down")
    row = of(broker.component)
    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.last_error == "Could not connect"


def test_registration_refusal_names_no_inside_address(client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = client.post("/webhooks/", {"url": "https://localhost/hook", "email": "a@example.org"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "not an address on the public internet" in html
    assert "127.0.0.1" not in html and "::1" not in html


def test_a_pull_url_at_the_metadata_address_is_refused_by_the_form(settings):
    from console.forms import BrokerForm  # noqa: PLC0415 -- the form pulls in the console app

    settings.PULL_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    form = BrokerForm(data={"pull_url": "http://169.254.169.254/latest/meta-data/"})
    form.is_valid()
    assert "not an address on the public internet" in str(form.errors["pull_url"])


def test_a_stored_pull_url_outside_the_allowed_networks_is_never_fetched(broker, settings):
    hits = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    broker.pull_url = f"http://127.0.0.1:{server.getsockname()[1]}/health"
    broker.save()
    settings.PULL_ALLOWED_NETWORKS = []
    probe = pull.fetch(broker)
    try:
        hits.append(server.accept())
    except TimeoutError:
        pass
    server.close()
    assert hits == []
    assert probe.source == Probe.Source.PULL and probe.reason.startswith("Health endpoint refused")


def test_endpoints_guard_follows_the_setting(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    assert endpoints.guard() == ()
