"""The process manager runs web, worker and beat, and the workers consume every queue."""

import re
from pathlib import Path

import pytest

from config import queues
from config.celery import app

ROOT = Path(__file__).resolve().parent.parent


def processes(procfile: str) -> dict[str, str]:
    lines = (ROOT / procfile).read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


POOLS = set(queues.POOLS)


def test_the_demo_runs_web_every_worker_pool_beat_the_broker_simulator_and_the_fake_twilio():
    assert set(processes("Procfile")) == {"web", "beat", "simulator", "twilio"} | POOLS


def test_production_runs_web_every_worker_pool_and_beat():
    assert set(processes("Procfile.production")) == {"web", "beat"} | POOLS


@pytest.mark.parametrize("procfile", ["Procfile", "Procfile.production"])
def test_each_pool_is_a_worker_of_its_own_consuming_its_queues(procfile):
    found = processes(procfile)
    for pool, consumed in queues.POOLS.items():
        assert re.search(r"-Q (\S+)", found[pool]).group(1).split(",") == list(consumed), pool


def test_every_queue_is_served_by_exactly_one_pool():
    served = [q for consumed in queues.POOLS.values() for q in consumed]
    assert sorted(served) == sorted(queues.ALL)


def test_a_webhook_or_a_pull_never_shares_a_pool_with_detection_sends_or_snapshots():
    strangers = {queues.WEBHOOKS, queues.PULLS}
    for pool, consumed in queues.POOLS.items():
        assert pool == "outbound" or not strangers & set(consumed), pool


def test_a_confirmation_code_never_queues_behind_a_fan_out():
    routes = app.conf.task_routes
    for task in ("notifications.tasks.send_confirmation", "notifications.tasks.tell_newcomer"):
        assert routes[task]["queue"] == queues.CONFIRM
    assert routes["notifications.tasks.send_batch"]["queue"] == queues.SEND


def test_the_demo_starts_every_pool_without_the_simulator_too():
    makefile = (ROOT / "Makefile").read_text()
    assert all(f" {pool} " in makefile for pool in POOLS)


def test_every_task_is_routed_to_a_consumed_queue():
    app.loader.import_default_modules()
    ours = [name for name in app.tasks if not name.startswith("celery.")]
    assert "detection.tasks.check_silence" in ours and "notifications.tasks.send_batch" in ours
    routes = app.conf.task_routes
    for name in ours:
        queue = routes.get(name, {}).get("queue", app.conf.task_default_queue)
        assert queue in queues.ALL, name


def test_every_route_and_every_scheduled_entry_names_a_task_that_exists():
    # A task that moved module changes its name: a route or schedule left behind would do nothing, silently.
    app.loader.import_default_modules()
    named = set(app.conf.task_routes) | {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert sorted(named - set(app.tasks)) == []


def test_the_scheduler_refreshes_the_snapshot():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "statuspage.tasks.refresh_snapshot" in tasks


def test_every_task_has_a_time_limit():
    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if not name.startswith("celery.")]
    for task in ours:
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft and hard and soft < hard, task.name


def test_workers_and_beat_reconnect_to_redis_for_as_long_as_it_takes():
    # Celery's default gives up after 100 tries (about 45 minutes of Redis away): then nothing runs again.
    assert app.conf.broker_connection_max_retries is None
    assert app.conf.broker_connection_retry and app.conf.broker_connection_retry_on_startup


def test_every_pool_gets_a_heartbeat_on_a_queue_only_it_serves():
    beats = {e["args"][0]: e["options"]["queue"] for e in app.conf.beat_schedule.values() if "heartbeat" in e["task"]}
    assert set(beats) == set(POOLS)
    for pool, queue in beats.items():
        assert [p for p, served in queues.POOLS.items() if queue in served] == [pool]
