"""Notification tests share the world in tests/conftest.py: one pharmacy system, five people."""

from statuspage.publishing import open_incident
from tests.conftest import subscriber  # noqa: F401 -- the notification tests' helper


def declare(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return open_incident(
            "Problem sending prescriptions to pharmacies in England that use Pharmacy Manager",
            "We are investigating.",
            "major",
            {broker.component: "major_outage"},
        )
