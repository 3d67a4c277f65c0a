"""A real Celery worker takes a task from a real broker and rewrites the snapshot.

Both brokers run: the embedded filesystem one that `make run` uses, and Redis, as
production does.
"""

import json
import time

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

import statuspage.tasks  # noqa: F401  (registers the shared tasks before the test app finalizes)
from config import queues
from config.celery import app as real_app
from statuspage.models import Component
from statuspage.response_cache import bump_version
from tests.services import REDIS_URL


def filesystem_broker(tmp_path) -> dict:
    folder = tmp_path / "queue"
    folder.mkdir()
    return {
        "broker_url": "filesystem://localhost/",
        "broker_transport_options": {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(tmp_path / "control"),
        },
    }


def redis_broker(tmp_path) -> dict:
    return {"broker_url": REDIS_URL.rsplit("/", 1)[0] + "/14"}


@pytest.fixture(
    params=[
        pytest.param(filesystem_broker, id="filesystem"),
        pytest.param(redis_broker, id="redis", marks=pytest.mark.redis),
    ]
)
def worker_app(request, tmp_path):
    app = Celery("statuspage-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")

    app.conf.update(
        task_routes=real_app.conf.task_routes,
        task_default_queue=queues.DEFAULT,
        task_always_eager=False,
        **request.param(tmp_path),
    )
    if app.conf.broker_url.startswith("redis"):
        with app.connection_for_write() as conn:
            for q in queues.ALL:
                conn.default_channel.queue_purge(q)
    with start_worker(app, pool="solo", perform_ping_check=False, queues=list(queues.ALL), shutdown_timeout=10):
        yield app


def wait_for(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (result := check()) is not None:
            return result
        time.sleep(0.1)
    raise AssertionError("the worker did not finish in time")


@pytest.mark.django_db(transaction=True)
def test_a_worker_writes_the_snapshot_from_a_queued_task(worker_app, demo, settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshot"
    Component.objects.filter(slug="eps-spine").update(status="major_outage")

    bump_version()
    worker_app.send_task("statuspage.tasks.write_snapshot", queue=queues.SNAPSHOTS)
    target = settings.SNAPSHOT_DIR / "api/v2/components.json"
    data = wait_for(lambda: json.loads(target.read_text()) if target.exists() else None)
    spine = next(c for c in data["components"] if c["name"].startswith("Electronic Prescription Service"))
    assert spine["status"] == "major_outage"
