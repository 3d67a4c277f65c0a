"""A small, readable world for tests that need only a few rows, and the helpers that build it:
pharmacy systems, subscribers, a declared incident, staff signed in as the console requires."""

import time

from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from console import staff as staff_accounts
from console.authenticators import Authenticator
from console.security import SEEN_AT, SIGNED_IN_AT
from demo.subscribers import add_confirmed
from notifications.models import Subscriber
from statuspage.models import Component, Pharmacy, Probe, Supplier
from statuspage.publishing import open_incident


def group(name: str = "Pharmacy systems in England", slug: str = "pharmacy-england") -> Component:
    return Component.objects.create(name=name, slug=slug, is_group=True)


def component(name: str = "Pharmacy Manager in England", slug: str = "pm-england", **kwargs) -> Component:
    return Component.objects.create(name=name, slug=slug, **kwargs)


def supplier(slug: str = "cegedim-pharmacy-manager", topology: str = "central", kind: str = "pharmacy") -> Supplier:
    return Supplier.objects.create(vendor="Cegedim", name=f"System {slug}", slug=slug, kind=kind, topology=topology)


def pharmacy(system: Supplier, ods_code: str, name: str, postcode: str, nation: str = "england", address: str = ""):
    return Pharmacy.objects.create(
        ods_code=ods_code,
        name=name,
        address=address or f"1 {name} Street",
        postcode=postcode,
        nation=nation,
        system=system,
    )


def probe(broker, at, verdict: str = "operational", reason: str = "", **readings):
    """A stored probe received at ``at``, with whatever readings the test needs."""
    return Probe.objects.create(
        broker=broker,
        source="push",
        received_at=at,
        observed_at=at,
        reported="pass",
        verdict=verdict,
        reason=reason,
        **readings,
    )


def subscriber(number: str, **follow) -> Subscriber:
    """A confirmed SMS subscriber following what ``follow`` says (scope=..., pharmacy=... or nation=...)."""
    return add_confirmed(Subscriber.Channel.SMS, number, **follow)


def declare(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return open_incident(
            "Problem sending prescriptions to pharmacies in England that use Pharmacy Manager",
            "We are investigating.",
            "major",
            {broker.component: "major_outage"},
        )


PASSWORD = "correct horse battery staple 42"


def make_staff(username: str, role: str):
    staff_accounts.create_enrolled(username, f"{username}@nhs.example", role, PASSWORD)
    return get_user_model().objects.get(username=username)


def code_for(user) -> str:
    return Authenticator.objects.get(user=user).code_now()


def signed_in(user, client: Client | None = None) -> Client:
    """A client signed in with password and TOTP, as if through the sign-in page (which
    tests of signing in use directly: a TOTP code is accepted once per 30 seconds)."""
    client = client or Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = Authenticator.objects.get(user=user).persistent_id
    session[SIGNED_IN_AT] = session[SEEN_AT] = time.time()
    session.save()
    return client
