from datetime import UTC, datetime, timedelta

import pytest

from detection.healthdoc import Invalid, clock_problem, parse

NOW = datetime(2026, 6, 15, 9, 40, tzinfo=UTC)


def doc(**checks):
    return {"status": "pass", "serviceId": "abc", "checks": checks}


def test_a_full_document_is_read():
    parsed = parse(
        doc(
            **{
                "spine:connection": [{"status": "pass", "time": "2026-06-15T09:39:55Z"}],
                "outboundQueue:depth": [{"observedValue": 40}, {"observedValue": 2}],
                "outboundQueue:oldestMessageAge": [{"observedValue": 120, "observedUnit": "s"}],
                "delivery:latency": [{"observedValue": 350.5, "observedUnit": "ms"}],
                "delivery:errorRate": [{"observedValue": 0.01}],
                "delivery:throughput": [{"observedValue": 300}],
                "disk:free": [{"observedValue": "lots"}],
            }
        ),
        NOW,
    )
    r = parsed.reading
    assert (r.reported, r.spine_connected, r.queue_depth, r.oldest_message_age) == ("pass", True, 42, 120)
    assert (r.latency_ms, r.error_rate, r.throughput) == (350.5, 0.01, 300)
    assert parsed.observed_at == datetime(2026, 6, 15, 9, 39, 55, tzinfo=UTC)
    assert parsed.service_id == "abc"


@pytest.mark.parametrize(
    ("alias", "status"), [("ok", "pass"), ("UP", "pass"), ("error", "fail"), ("down", "fail"), ("warn", "warn")]
)
def test_the_drafts_status_aliases(alias, status):
    assert parse({"status": alias}, NOW).reading.reported == status


def test_a_document_without_times_was_observed_when_it_arrived():
    assert parse({"status": "pass"}, NOW).observed_at == NOW


def test_a_failed_spine_check_means_disconnected():
    assert parse(doc(**{"spine:connection": [{"status": "fail"}]}), NOW).reading.spine_connected is False


@pytest.mark.parametrize(
    ("document", "pointer"),
    [
        ([], ""),
        ({}, "/status"),
        ({"status": "fine"}, "/status"),
        ({"status": "pass", "serviceId": 7}, "/serviceId"),
        ({"status": "pass", "notes": "x"}, "/notes"),
        ({"status": "pass", "checks": []}, "/checks"),
        (doc(**{"delivery:latency": {"observedValue": 1}}), "/checks/delivery:latency"),
        (doc(**{"delivery:latency": [{"observedValue": "slow"}]}), "/checks/delivery:latency/0/observedValue"),
        (
            doc(**{"delivery:latency": [{"observedValue": 5, "observedUnit": "s"}]}),
            "/checks/delivery:latency/0/observedUnit",
        ),
        (doc(**{"delivery:errorRate": [{"observedValue": 1.5}]}), "/checks/delivery:errorRate/0/observedValue"),
        (doc(**{"outboundQueue:depth": [{"observedValue": 2.5}]}), "/checks/outboundQueue:depth/0/observedValue"),
        (doc(**{"outboundQueue:depth": [{"observedValue": -1}]}), "/checks/outboundQueue:depth/0/observedValue"),
        (doc(**{"x/y": [{"time": "yesterday"}]}), "/checks/x~1y/0/time"),
        (doc(**{"x": [{"time": "2026-06-15T09:40:00"}]}), "/checks/x/0/time"),
        (doc(**{"x": [{"status": "meh"}]}), "/checks/x/0/status"),
        (doc(**{"spine:connection": [{"observedValue": "yes"}]}), "/checks/spine:connection/0/observedValue"),
        (doc(**{"delivery:latency": [{"observedValue": True}]}), "/checks/delivery:latency/0/observedValue"),
    ],
)
def test_each_problem_is_reported_with_a_pointer(document, pointer):
    with pytest.raises(Invalid) as caught:
        parse(document, NOW)
    assert pointer in [p for p, _ in caught.value.errors]


def test_every_problem_is_reported_at_once():
    with pytest.raises(Invalid) as caught:
        parse({"status": "meh", "serviceId": 1}, NOW)
    assert {p for p, _ in caught.value.errors} == {"/status", "/serviceId"}


def test_readings_too_far_ahead_or_behind_are_refused():
    assert clock_problem(NOW + timedelta(seconds=60), NOW) is None
    assert "ahead" in clock_problem(NOW + timedelta(seconds=61), NOW)
    assert clock_problem(NOW - timedelta(minutes=5), NOW) is None
    assert "old" in clock_problem(NOW - timedelta(minutes=5, seconds=1), NOW)


@pytest.mark.parametrize("field", ["componentId", "componentType", "observedUnit", "output"])
def test_documented_text_fields_in_any_check_must_be_text(field):
    with pytest.raises(Invalid) as caught:
        parse(doc(**{"disk:free": [{field: True}]}), NOW)
    assert caught.value.errors == [(f"/checks/disk:free/0/{field}", "must be a string")]


def test_a_null_spine_reading_is_refused_not_guessed():
    with pytest.raises(Invalid):
        parse(doc(**{"spine:connection": [{"observedValue": None}]}), NOW)
