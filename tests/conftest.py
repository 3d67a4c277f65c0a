from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection

from demo.build import build
from detection import tokens
from statuspage import response_cache
from statuspage.brokers import central_broker
from statuspage.models import Pharmacy
from tests import factories
from tests.fake_twilio_fixtures import fake_twilio_api, trickling_twilio, twilio_server  # noqa: F401 -- shared fixtures
from tests.strangers import Stranger

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On SQLite, the test runner empties every table with DELETE between transactional tests,
    which the audit trail's own trigger refuses: dropped in the test database only. The trigger is
    tested in a database migrated for that test alone (tests/security/test_audit_append_only.py);
    PostgreSQL empties tables with TRUNCATE, which row triggers never see."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS console_audit_no_delete")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Test transactions never commit, so on_commit invalidation never runs between tests.
    cache.clear()
    response_cache.forget_local()
    yield
    cache.clear()
    response_cache.forget_local()


@pytest.fixture
def demo(db):
    """The national demo, as `make run` loads it."""
    return build()


@pytest.fixture
def noon() -> datetime:
    return datetime(2026, 6, 15, 12, 0, tzinfo=LONDON)


@pytest.fixture
def broker(db):
    """Cegedim's Pharmacy Manager broker in England, with its siblings in the other nations."""

    supplier = factories.supplier()
    supplier.name, supplier.vendor = "Pharmacy Manager", "Cegedim"
    supplier.save()
    for nation in ("scotland", "wales", "northern_ireland"):
        central_broker(supplier, nation)
    return central_broker(supplier, "england")


@pytest.fixture
def token(broker) -> str:
    return tokens.issue(broker)


@pytest.fixture
def pharmacy(broker) -> Pharmacy:
    """Station Pharmacy (FW844), in England, on the broker's system."""
    return factories.pharmacy(broker.supplier, "FW844", "Station Pharmacy", "LS1 4AP", address="1 Station Road")


@pytest.fixture
def people(broker, pharmacy):
    england = pharmacy
    wales = factories.pharmacy(broker.supplier, "FA123", "Castle Pharmacy", "CF10 1AA", "wales", "2 Castle St")
    return {
        "mine": factories.subscriber("+447700900101", scope="pharmacy", pharmacy=england),
        "nation": factories.subscriber("+447700900102", scope="nation", nation="england"),
        "all": factories.subscriber("+447700900103", scope="all"),
        "wales": factories.subscriber("+447700900104", scope="pharmacy", pharmacy=wales),
        "scotland": factories.subscriber("+447700900105", scope="nation", nation="scotland"),
    }


@pytest.fixture
def stranger():
    """Starts slow or greedy HTTP servers (tests/strangers.py); all stopped after the test."""
    started: list[Stranger] = []

    def start(kind: str, **options) -> Stranger:
        started.append(Stranger(kind, **options).start())
        return started[-1]

    yield start
    for s in started:
        s.stop()
