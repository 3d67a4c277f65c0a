"""GET /metrics: for Prometheus with its token only; what it says moves with what happens."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from config.metrics import EveryRole
from detection import tokens
from tests.probe_docs import failing, healthy, send

pytestmark = pytest.mark.django_db
TOKEN = "a-scrape-token-for-the-tests"


@pytest.fixture
def scrape(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def read() -> dict[tuple[str, tuple], float]:
        answer = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
        return {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(answer.content.decode())
            for s in family.samples
        }

    return read


def test_nobody_reads_it_without_the_token(client, settings):
    settings.METRICS_TOKEN = TOKEN
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        answer = client.get("/metrics", headers=headers)
        assert answer.status_code == 403 and answer["Content-Type"] == "application/problem+json"


def test_with_no_token_set_only_a_laptop_reads_it_from_itself(client, settings):
    settings.METRICS_TOKEN = ""
    settings.DEBUG = False
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    settings.DEBUG = True
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200


def test_probes_are_counted_by_answer_and_a_failing_broker_shows(client, scrape, broker):
    token = tokens.issue(broker)
    before = scrape()
    key = ("eps_probes_received_total", (("code", "202"),))
    refused = ("eps_probes_received_total", (("code", "401"),))
    for _ in range(3):
        send(client, failing(), token)
    send(client, healthy())
    after = scrape()
    assert after[key] - before.get(key, 0) == 3
    assert after[refused] - before.get(refused, 0) == 1
    slug = broker.component.slug
    status = {
        labels: v for (name, labels), v in after.items() if name == "eps_broker_status" and ("broker", slug) in labels
    }
    assert list(status.values()) == [3.0], status  # down
    assert after[("eps_broker_seconds_since_probe", (("broker", slug),))] < 5
    assert after[("eps_seconds_since_any_probe", ())] < 5
    assert after[("eps_drafts_open", ())] == 1


def test_a_missing_snapshot_and_a_sweep_that_never_ran_say_so(scrape, settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "none"
    found = scrape()
    assert found[("eps_snapshot_age_seconds", ())] == -1
    assert found[("eps_seconds_since", (("job", "silence-sweep"),))] == -1


COUNT = """
from common import metrics
metrics.SENT.labels(channel="sms").inc({n})
metrics.PROVIDER_ERRORS.labels(channel="sms", code="30003").inc()
"""


def test_every_role_s_processes_are_added_up(tmp_path):
    # Two roles' processes, each counting in its own folder as deploy/run-role arranges.
    for role, n in (("web", 2), ("sends", 5), ("sends", 7)):
        (tmp_path / role).mkdir(exist_ok=True)
        env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path / role), "PATH": "/usr/bin:/bin"}
        subprocess.run([sys.executable, "-c", COUNT.format(n=n)], env=env, check=True, cwd=str(_root()))
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in EveryRole(str(tmp_path)).collect()
        for s in family.samples
    }
    assert samples[("eps_messages_sent_total", (("channel", "sms"),))] == 14
    assert samples[("eps_provider_errors_total", (("channel", "sms"), ("code", "30003")))] == 3


def _root() -> Path:
    return Path(__file__).resolve().parent.parent


def test_the_output_is_prometheus_text(client, settings, broker):
    settings.METRICS_TOKEN = TOKEN
    text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).content.decode()
    assert re.search(r"^# TYPE eps_broker_status gauge$", text, re.M)
    assert list(text_string_to_metric_families(text))
