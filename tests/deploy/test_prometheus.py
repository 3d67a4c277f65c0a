"""The alert rules load, each fires on the failure it is for (and not on a healthy system), and every
metric the rules and the ops room's dashboard read is one /metrics really serves."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.services import REDIS_URL

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
RULES = DEPLOY / "prometheus" / "alerts.yml"
DASHBOARD = DEPLOY / "grafana" / "eps-status.json"
OURS = re.compile(r"\beps_[a-z_]+\b")
# Counters are served as name_total (and name_created): the name in an expression is either.
SUFFIXES = ("_total",)


def test_the_rules_load(program):
    done = subprocess.run([program("promtool"), "check", "rules", str(RULES)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_each_alert_fires_on_its_failure_and_not_on_a_healthy_system(program):
    done = subprocess.run(
        [program("promtool"), "test", "rules", "alerts.test.yml"], cwd=RULES.parent, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_issue_s_alerts_are_all_there():
    names = {rule["alert"] for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]}
    assert {
        "EpsStatusSnapshotStale",
        "EpsStatusSilenceSweepStopped",
        "EpsStatusSendQueueGrowing",
        "EpsStatusProviderErrors",
        "EpsStatusNoProbesFromAnyone",
        "EpsStatusBeatDown",
    } <= names


def _used() -> set[str]:
    rules = RULES.read_text()
    dashboard = json.loads(DASHBOARD.read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    return set(OURS.findall(rules + "\n".join(exprs)))


@pytest.mark.redis
@pytest.mark.django_db
def test_every_metric_the_rules_and_dashboard_read_is_served(client, settings, broker):
    settings.METRICS_TOKEN = "scrape-token"
    settings.REDIS_URL = REDIS_URL  # queue depths are read from the broker's Redis
    # Counters only appear once counted: one refused probe, one failure of each kind.
    client.post("/api/v1/probes", data="{}", content_type="application/json")
    served = client.get("/metrics", headers={"Authorization": "Bearer scrape-token"}).content.decode()
    names = {line.split("{")[0].split(" ")[0] for line in served.splitlines() if line and not line.startswith("#")}
    declared = set(re.findall(r"^# TYPE (\S+)", served, re.M))
    missing = {
        name
        for name in _used()
        if name not in names and name not in declared and name.removesuffix("_total") not in declared
    }
    assert not missing, f"read by the rules or the dashboard but not served: {sorted(missing)}"


def test_the_scrape_job_is_valid(program):
    config = RULES.parent / "prometheus.yml"
    done = subprocess.run([program("promtool"), "check", "config", "--syntax-only", str(config)], capture_output=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_links_to_its_section_of_the_runbook():
    runbook = (DEPLOY.parent / "docs" / "operations.md").read_text()
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-")
        for heading in re.findall(r"^#{2,3} (.+)$", runbook, re.M)
    }
    links = re.findall(r'runbook: "docs/operations.md#([a-z0-9-]+)"', RULES.read_text())
    assert links and not set(links) - anchors, set(links) - anchors
