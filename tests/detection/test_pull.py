"""Pull probes over real HTTP, against a small health endpoint on 127.0.0.1."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from detection import pull
from detection.tasks import pull_due_brokers
from statuspage.models import Broker, Probe
from tests.probe_docs import failing, healthy

pytestmark = pytest.mark.django_db


class Endpoint(BaseHTTPRequestHandler):
    answer: tuple[int, bytes, float] = (200, b"{}", 0.0)

    def do_GET(self):
        status, body, delay = type(self).answer
        time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", "application/health+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint(broker):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    broker.pull_url = f"http://127.0.0.1:{server.server_port}/health"
    broker.save()

    def answer(status=200, body=None, delay=0.0):
        Endpoint.answer = (status, body if isinstance(body, bytes) else json.dumps(body).encode(), delay)

    yield answer
    server.shutdown()


def test_a_good_document_is_a_pulled_probe(broker, endpoint):
    endpoint(body=healthy())
    probe = pull.fetch(broker)
    assert (probe.source, probe.verdict, probe.queue_depth) == ("pull", "operational", 3)


def test_a_failing_document_counts_like_a_pushed_one(broker, endpoint):
    endpoint(body=failing())
    for _ in range(3):
        pull.fetch(broker)
    broker.component.refresh_from_db()
    assert broker.component.status == "major_outage"


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (503, {"status": "fail"}, "Health endpoint answered 503"),
        (200, b"<html>oops</html>", "Health endpoint answered something other than JSON"),
        (200, {"status": "sideways"}, "Health endpoint answered an invalid document: /status"),
        (200, {"status": "pass", "notes": ["x" * 20000]}, "Health endpoint answered more than 16 KB"),
    ],
)
def test_an_error_answer_or_bad_body_is_a_failed_probe_with_its_reason(broker, endpoint, status, body, reason):
    endpoint(status=status, body=body)
    probe = pull.fetch(broker)
    assert probe.verdict == "major_outage"
    assert probe.reason.startswith(reason)


def test_a_slow_endpoint_times_out_as_a_failed_probe(broker, endpoint, settings):
    settings.PULL_TIMEOUT_SECONDS = 0.2
    endpoint(body=healthy(), delay=1.0)
    assert pull.fetch(broker).reason == "Health endpoint did not answer within 0.2 s"


def test_an_endpoint_nobody_answers_is_a_failed_probe(broker):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    broker.pull_url = f"http://127.0.0.1:{port}/health"
    assert pull.fetch(broker).reason == "Health endpoint unreachable: could not connect"


def test_each_due_broker_is_claimed_once_until_its_next_interval(broker, endpoint):
    now = timezone.now()
    assert pull.claim_due(now) == [broker.pk]
    assert pull.claim_due(now) == []
    assert pull.claim_due(now + timezone.timedelta(seconds=broker.heartbeat_seconds)) == [broker.pk]
    assert Broker.objects.exclude(pull_url="").count() == 1


def test_the_scheduler_task_fetches_due_brokers(broker, endpoint):
    endpoint(body=healthy())
    assert pull_due_brokers() == 1  # eager in tests: the fetch ran too
    assert Probe.objects.filter(broker=broker, source="pull").count() == 1


def test_an_endpoint_that_trickles_fails_at_the_deadline_and_holds_up_no_other_broker(
    broker, endpoint, stranger, settings
):
    """Each byte comes well within any per-read timeout; the whole answer never comes in time."""
    settings.PULL_TIMEOUT_SECONDS = 1.0
    endpoint(body=healthy())
    slow = Broker.objects.exclude(pk=broker.pk).first()
    slow.pull_url = stranger("trickle", interval=0.5).url + "/health"
    slow.save()
    quick, late = pull.fetch_many([broker, slow])
    assert (quick.verdict, late.verdict) == ("operational", "major_outage")
    assert late.reason == "Health endpoint did not answer within 1 s"


def test_an_endpoint_answering_without_end_is_read_no_further_than_16_kb(broker, stranger):
    greedy = stranger("huge")
    broker.pull_url = greedy.url + "/health"
    assert pull.fetch(broker).reason == "Health endpoint answered more than 16 KB"
    assert greedy.was_cut_off()
