"""The process manager runs web, worker and beat, and the workers consume every queue."""

import re
from pathlib import Path

import pytest

from statuspage import queues
from statuspage.celery import app

ROOT = Path(__file__).resolve().parent.parent


def processes(procfile: str) -> dict[str, str]:
    lines = (ROOT / procfile).read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_the_demo_runs_web_worker_beat_the_broker_simulator_and_the_fake_twilio():
    assert set(processes("Procfile")) == {"web", "worker", "beat", "simulator", "twilio"}


def test_production_runs_web_worker_and_beat():
    assert set(processes("Procfile.production")) == {"web", "worker", "beat"}


@pytest.mark.parametrize("procfile", ["Procfile", "Procfile.production"])
def test_workers_consume_every_queue(procfile):
    consumed = set(re.search(r"-Q (\S+)", processes(procfile)["worker"]).group(1).split(","))
    assert consumed == set(queues.ALL)


def test_every_task_is_routed_to_a_consumed_queue():
    app.loader.import_default_modules()
    ours = [name for name in app.tasks if name.startswith(("statuspage.", "notifications."))]
    assert ours
    routes = app.conf.task_routes
    for name in ours:
        queue = routes.get(name, {}).get("queue", app.conf.task_default_queue)
        assert queue in queues.ALL, name


def test_the_scheduler_refreshes_the_snapshot():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "statuspage.tasks.refresh_snapshot" in tasks
