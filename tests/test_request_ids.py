"""One id per request, in every log line it causes and in every task it queues."""

import io
import json
import logging
from types import SimpleNamespace

import pytest

from common import request_ids
from config.celery import _pass_request_id, _take_request_id
from tests.logs import production_json


@pytest.fixture
def json_log():
    """Our production log handler (settings.LOGGING's JSON formatter and filters) on a buffer."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(production_json())
    handler.addFilter(request_ids.RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield out
    root.removeHandler(handler)


def lines(out: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_the_edge_s_id_is_on_the_answer_and_every_log_line_of_the_request(client, json_log):
    answer = client.get("/incidents/no-such-thing/", headers={"X-Request-Id": "5f2b6c0d9e8a4b3c"})
    assert answer.status_code == 404 and answer["X-Request-Id"] == "5f2b6c0d9e8a4b3c"
    logged = [line for line in lines(json_log) if line["logger"] == "django.request"]
    assert logged and {line["request_id"] for line in logged} == {"5f2b6c0d9e8a4b3c"}
    assert {"time", "level", "logger", "pid", "message"} <= set(logged[0])


@pytest.mark.django_db
def test_an_id_a_caller_made_up_badly_is_replaced(client):
    for given in ("<script>", "x" * 200, "+447700900123 called", ""):
        answer = client.get("/healthz", headers={"X-Request-Id": given})
        assert answer["X-Request-Id"] != given and len(answer["X-Request-Id"]) == 32


def test_a_task_queued_in_a_request_carries_its_id_and_takes_it_up():
    token = request_ids.current.set("0a1b2c3d4e5f6a7b")
    headers: dict = {}
    _pass_request_id(headers=headers)
    request_ids.current.reset(token)
    assert headers == {"request_id": "0a1b2c3d4e5f6a7b"}
    _take_request_id(task_id="d5f0c1de-task", task=SimpleNamespace(request=SimpleNamespace(**headers)))
    assert request_ids.current.get() == "0a1b2c3d4e5f6a7b"


def test_a_task_beat_started_takes_its_own_task_id():
    _take_request_id(task_id="9b2e7c4a-5d1f-4e3a-8c6b-0f1e2d3c4b5a", task=SimpleNamespace(request=SimpleNamespace()))
    assert request_ids.current.get() == "9b2e7c4a-5d1f-4e3a-8c6b-0f1e2d3c4b5a"
    request_ids.current.set("")
