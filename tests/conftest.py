from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from statuspage import caching
from statuspage.demo.build import build

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Test transactions never commit, so on_commit invalidation never runs between tests.
    cache.clear()
    caching.forget_local()
    yield
    cache.clear()
    caching.forget_local()


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
    from statuspage.brokers import central_broker
    from tests import factories

    supplier = factories.supplier()
    supplier.name, supplier.vendor = "Pharmacy Manager", "Cegedim"
    supplier.save()
    for nation in ("scotland", "wales", "northern_ireland"):
        central_broker(supplier, nation)
    return central_broker(supplier, "england")


@pytest.fixture
def token(broker) -> str:
    from statuspage import tokens

    return tokens.issue(broker)


from tests.fake_twilio_fixtures import fake_twilio_api, twilio_server  # noqa: E402, F401
