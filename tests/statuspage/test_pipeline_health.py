"""We watch ourselves: /healthz/pipeline fails, for an outside uptime check, when the silence sweep,
the snapshot, a worker pool or beat has stopped."""

import os
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from detection import silence
from statuspage import snapshot
from statuspage.models import Vital
from statuspage.tasks import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(settings, tmp_path, demo):
    """Everything as beat and the pools leave it: a sweep just run, a fresh snapshot, every pool's heartbeat."""
    settings.SNAPSHOT_DIR = tmp_path / "snapshot"
    snapshot.write(force=True)
    silence.check(timezone.now())
    for pool in django_settings.WORKER_POOLS:
        heartbeat(pool)


def test_all_running_is_ok(client, running):
    response = client.get("/healthz/pipeline")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok" and response["Cache-Control"] == "no-store"


def test_a_pool_that_stopped_answering_fails_the_check_and_is_named(client, running):
    Vital.objects.filter(name="pool:sends").update(at=timezone.now() - timedelta(seconds=61))
    response = client.get("/healthz/pipeline")
    assert response.status_code == 503
    assert response.json()["pool:sends"]["ok"] is False and response.json()["pool:detection"]["ok"] is True


def test_a_sweep_that_stopped_fails_the_check(client, running):
    Vital.objects.filter(name="silence-sweep").update(at=timezone.now() - timedelta(seconds=61))
    assert client.get("/healthz/pipeline").json()["silence_sweep"]["ok"] is False


def test_a_stale_snapshot_fails_the_check(client, running, settings):
    marker = settings.SNAPSHOT_DIR / ".version"
    old = (timezone.now() - timedelta(minutes=3)).timestamp()
    os.utime(marker, (old, old))
    response = client.get("/healthz/pipeline")
    assert response.status_code == 503 and response.json()["snapshot"]["ok"] is False


def test_nothing_ever_run_fails_the_check(client, db, settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "none"
    assert client.get("/healthz/pipeline").status_code == 503
