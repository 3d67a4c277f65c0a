from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from statuspage.backlog import Sample, drain_rate, notice
from statuspage.transitions import set_component_status
from tests import factories

NOW = datetime(2026, 6, 15, 11, 40, tzinfo=UTC)  # 12:40pm in London (BST)
WHO = "pharmacies in England that use Pharmacy Manager"


def test_a_growing_backlog_says_since_when_and_gives_no_duration_it_cannot_forecast():
    samples = [Sample(NOW, 7200, 3 * 3600)]
    assert notice(WHO, samples) == (
        "Prescriptions sent to pharmacies in England that use Pharmacy Manager since 9:40am have not all arrived yet."
    )


def test_a_shrinking_backlog_forecasts_when_the_rest_will_arrive():
    samples = [Sample(NOW - timedelta(minutes=4), 6000, 7200), Sample(NOW, 4800, 6000)]
    assert drain_rate(samples) == 300
    text = notice(WHO, samples)
    assert text.endswith("They are arriving again. They should all be there by about 12:56pm.")


def test_an_ordinary_wait_is_not_news():
    assert notice(WHO, [Sample(NOW, 40, 14 * 60)]) is None
    assert notice(WHO, []) is None


def test_a_growing_queue_has_no_drain_rate():
    assert drain_rate([Sample(NOW - timedelta(minutes=2), 10, 1000), Sample(NOW, 50, 1100)]) is None


@pytest.mark.django_db
def test_the_status_page_shows_the_backlog_in_patient_terms(client, broker):
    now = timezone.now()
    for minutes, depth, oldest in ((4, 6000, 3 * 3600), (0, 4800, 2.5 * 3600)):
        at = now - timedelta(minutes=minutes)
        factories.probe(broker, at, verdict="partial_outage", reason="", queue_depth=depth, oldest_message_age=oldest)
    set_component_status(broker.component, "partial_outage", "Oldest prescription waiting 2 h 30 min")
    html = client.get("/").content.decode()
    assert "Prescriptions sent to pharmacies in England that use Pharmacy Manager since" in html
    assert "have not all arrived yet" in html
    assert "should all be there by about" in html
    assert "should all be there by about" in client.get(broker.component.get_absolute_url()).content.decode()
