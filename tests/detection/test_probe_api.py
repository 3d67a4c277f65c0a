import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from detection import tokens
from detection.tasks import roll_up_probes
from statuspage.models import Broker, Component, IncidentDraft, Probe, StatusChange
from statuspage.publishing import post_update, schedule_maintenance
from tests.probe_docs import failing, healthy

pytestmark = pytest.mark.django_db
URL = "/api/v1/probes"


def post(client, body, token=None, content_type="application/health+json", **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, headers=headers)


def assert_problem(response, status, pointer=None):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    if pointer is not None:
        assert pointer in [e["pointer"] for e in body["errors"]]
    return body


def test_a_probe_is_stored_and_answered_202(client, broker, token):
    response = post(client, healthy(), token)
    assert response.status_code == 202
    probe = Probe.objects.get()
    assert response.json() == {
        "id": probe.pk,
        "received_at": probe.received_at.isoformat(),
        "verdict": "operational",
        "reason": "Working normally: delivery in 0.4 s, 3 waiting",
    }
    assert (probe.broker, probe.source, probe.queue_depth) == (broker, "push", 3)


def test_plain_json_is_accepted_too(client, broker, token):
    assert post(client, healthy(), token, content_type="application/json").status_code == 202


def test_service_id_may_name_the_broker_by_id_or_slug(client, broker, token):
    assert post(client, healthy(serviceId=broker.component.code), token).status_code == 202
    assert post(client, healthy(serviceId=broker.component.slug), token).status_code == 202


def test_missing_token_is_401(client, broker):
    body = assert_problem(post(client, healthy()), 401)
    assert "Bearer" in body["detail"]


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer eps_not-a-real-token", "eps_x"])
def test_unknown_or_malformed_token_is_401(client, broker, header):
    response = client.post(
        URL, data=json.dumps(healthy()), content_type="application/health+json", headers={"Authorization": header}
    )
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_made_up_tokens_cost_no_database_read(client, broker, token, django_assert_num_queries):
    assert post(client, healthy(), token).status_code == 202  # this process has the live tokens now
    with django_assert_num_queries(0):
        for n in range(20):
            assert_problem(post(client, healthy(), f"eps_made-up-{n}"), 401)


def test_a_token_issued_after_the_others_were_loaded_works_at_once(client, broker, token):
    assert post(client, healthy(), token).status_code == 202
    other = Component.objects.get(slug="cegedim-pharmacy-manager-wales").broker
    assert post(client, healthy(), tokens.issue(other)).status_code == 202


def test_a_revoked_token_is_401(client, broker, token):
    call_command("broker_token", broker.component.slug, "--revoke", token[:12])
    assert_problem(post(client, healthy(), token), 401)


def test_a_token_for_another_broker_is_403(client, broker, token):
    other = Component.objects.get(slug="cegedim-pharmacy-manager-wales")
    body = assert_problem(post(client, healthy(serviceId=other.code), token), 403, pointer="/serviceId")
    assert broker.component.slug in body["detail"]
    assert not Probe.objects.exists()


def test_a_body_over_16_kb_is_413(client, broker, token):
    doc = healthy(notes=["x" * 17000])
    assert_problem(post(client, doc, token), 413)
    assert not Probe.objects.exists()


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x"])
def test_a_wrong_content_type_is_415(client, broker, token, content_type):
    assert_problem(post(client, json.dumps(healthy()), token, content_type=content_type), 415)


def test_malformed_json_is_400(client, broker, token):
    assert_problem(post(client, '{"status": "pass",', token), 400, pointer="")


def test_invalid_fields_are_400_with_a_pointer_to_each(client, broker, token):
    doc = healthy()
    doc["checks"]["delivery:errorRate"] = [{"observedValue": 7}]
    doc["status"] = "fine"
    body = assert_problem(post(client, doc, token), 400)
    assert {e["pointer"] for e in body["errors"]} == {"/status", "/checks/delivery:errorRate/0/observedValue"}


@pytest.mark.parametrize("offset", [timedelta(seconds=90), -timedelta(minutes=6)])
def test_a_reading_time_out_of_range_is_422(client, broker, token, offset):
    body = assert_problem(post(client, healthy(at=timezone.now() + offset), token), 422)
    assert "clock" in body["detail"]


def test_over_the_rate_is_429_with_retry_after(client, broker, token):
    broker.probes_per_minute = 2
    broker.save()
    for _ in range(2):
        assert post(client, healthy(), token).status_code == 202
    response = post(client, healthy(), token)
    assert_problem(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60
    assert Probe.objects.count() == 2


def test_get_is_405_in_json(client, broker):
    response = client.get(URL)
    assert_problem(response, 405)
    assert response["Allow"] == "POST"


def test_a_retried_probe_counts_once(client, broker, token):
    first = post(client, failing(), token, **{"Idempotency-Key": "probe-1"})
    for _ in range(3):
        again = post(client, failing(), token, **{"Idempotency-Key": "probe-1"})
        assert again.status_code == 202 and again["Idempotent-Replayed"] == "true"
        assert again.json()["id"] == first.json()["id"]
    assert Probe.objects.count() == 1
    broker.component.refresh_from_db()
    assert broker.component.status == "operational"


def test_an_absurd_idempotency_key_is_400(client, broker, token):
    assert_problem(post(client, healthy(), token, **{"Idempotency-Key": "k" * 201}), 400)


def test_the_token_records_when_it_was_last_used(client, broker, token):
    post(client, healthy(), token)
    probe = Probe.objects.get()
    assert probe.token == broker.tokens.get()
    roll_up_probes()  # the periodic job copies it over
    assert broker.tokens.get().last_used_at == probe.received_at


def test_three_failing_probes_make_an_outage_with_its_reason_and_a_draft(client, broker, token):
    for expected in ("operational", "operational", "major_outage"):
        post(client, failing(), token)
        broker.component.refresh_from_db()
        assert broker.component.status == expected
    change = StatusChange.objects.filter(component=broker.component).last()
    assert change.cause == "Connection to NHS Spine failed"
    draft = IncidentDraft.objects.get()
    assert draft.name == "Problem sending prescriptions to pharmacies in England that use Pharmacy Manager"
    assert "Pharmacies in Scotland, Wales and Northern Ireland are not affected." in draft.body
    assert "You do not need to contact your GP practice" in draft.body
    assert draft.impact == "critical"
    # The draft is for ops, not the public.
    assert client.get("/api/v2/incidents.json").json()["incidents"] == []


def test_two_good_probes_bring_it_back_and_flag_the_draft_for_ops(client, broker, token):
    for _ in range(3):
        post(client, failing(), token)
    for _ in range(2):
        post(client, healthy(), token)
    broker.component.refresh_from_db()
    assert broker.component.status == "operational"
    assert IncidentDraft.objects.get().recovered_at is not None


def test_scheduled_maintenance_mutes_the_probes(client, broker, token):
    now = timezone.now()
    m = schedule_maintenance("Upgrade", "Planned.", [broker.component], now, now + timedelta(hours=1))
    post_update(m, "in_progress", "Started.", {broker.component: "under_maintenance"})
    for _ in range(4):
        assert post(client, failing(), token).status_code == 202
    broker.component.refresh_from_db()
    assert broker.component.status == "under_maintenance"
    assert not IncidentDraft.objects.exists()


def test_a_new_rate_for_a_broker_applies_to_tokens_already_in_use(client, broker, token):
    assert post(client, healthy(), token).status_code == 202
    broker.probes_per_minute = 1
    broker.save()
    assert_problem(post(client, healthy(), token), 429)


def test_saving_a_broker_read_before_its_probes_keeps_what_the_probes_recorded(client, broker, token):
    stale = Broker.objects.get(pk=broker.pk)
    assert post(client, healthy(), token).status_code == 202
    stale.heartbeat_seconds = 60
    stale.save()
    broker.refresh_from_db()
    assert broker.heartbeat_seconds == 60
    assert broker.last_probe_at is not None and broker.rate_count == 1


@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity"])
def test_numbers_that_are_not_finite_are_400_not_500(client, broker, token, number):
    body = f'{{"status": "pass", "checks": {{"delivery:latency": [{{"observedValue": {number}}}]}}}}'
    assert_problem(post(client, body, token), 400)
    assert not Probe.objects.exists()


def test_a_queue_deeper_than_the_column_can_hold_is_400(client, broker, token):
    doc = healthy()
    doc["checks"]["outboundQueue:depth"] = [{"observedValue": 2**31}]
    assert_problem(post(client, doc, token), 400, pointer="/checks/outboundQueue:depth/0/observedValue")
