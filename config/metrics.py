"""GET /metrics for Prometheus: our own counters from every process of every role on this host
(common/metrics.py), and what the database, Redis and the disk say now.

Only with ``Authorization: Bearer <METRICS_TOKEN>``, on each node's internal address (nginx never
passes /metrics on: deploy/nginx). With no token set, only a laptop (DEBUG) may read it, from itself.
"""

import functools
import glob
import hmac
import os
import time
from pathlib import Path

import redis
from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from config import queues
from notifications.models import Delivery
from statuspage import pipeline
from statuspage.models import Broker, IncidentDraft, Vital
from statuspage.snapshot_files import VERSION_FILE
from statuspage.status import ComponentStatus

# A number per status, worst highest, so an alert can say "> 1" for "an outage".
STATUS_VALUE = {
    ComponentStatus.OPERATIONAL: 0,
    ComponentStatus.UNDER_MAINTENANCE: 0,
    ComponentStatus.DEGRADED_PERFORMANCE: 1,
    ComponentStatus.NOT_REPORTING: 2,
    ComponentStatus.PARTIAL_OUTAGE: 2,
    ComponentStatus.MAJOR_OUTAGE: 3,
}


class EveryRole(Collector):
    """Every role's counters on this host, added up: each role writes its own folder under METRICS_DIR."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def collect(self):
        files = glob.glob(os.path.join(self.folder, "*", "*.db"))
        return MultiProcessCollector.merge(files, accumulate=True)


class NowState(Collector):
    """What is true now, read when scraped: the same answer from every web node."""

    def collect(self):
        now = timezone.now()
        status = GaugeMetricFamily(
            "eps_broker_status",
            "Each broker's derived status: 0 working (or maintenance), 1 slow, 2 partly down or not reporting, 3 down",
            labels=["broker", "supplier", "nation", "status"],
        )
        since = GaugeMetricFamily(
            "eps_broker_seconds_since_probe", "Seconds since each broker's last probe", labels=["broker"]
        )
        newest = None
        brokers = Broker.objects.select_related("component", "supplier").only(
            "component__slug", "component__status", "supplier__slug", "nation", "last_probe_at"
        )
        for b in brokers:
            slug = b.component.slug
            status.add_metric([slug, b.supplier.slug, b.nation, b.component.status], STATUS_VALUE[b.component.status])
            if b.last_probe_at:
                since.add_metric([slug], (now - b.last_probe_at).total_seconds())
                newest = max(newest or b.last_probe_at, b.last_probe_at)
        yield status
        yield since
        yield GaugeMetricFamily(
            "eps_seconds_since_any_probe",
            "Seconds since any broker at all was heard (-1: never)",
            value=(now - newest).total_seconds() if newest else -1,
        )
        yield GaugeMetricFamily(
            "eps_drafts_open", "Drafts waiting for ops", value=IncidentDraft.objects.filter(state="open").count()
        )
        deliveries = GaugeMetricFamily("eps_deliveries", "Deliveries by state (all notices)", labels=["state"])
        for row in Delivery.objects.values("state").annotate(n=Count("id")):
            deliveries.add_metric([row["state"]], row["n"])
        yield deliveries
        vitals = dict(Vital.objects.values_list("name", "at"))
        ages = GaugeMetricFamily(
            "eps_seconds_since",
            "Seconds since each of our own periodic jobs last ran (-1: never): the silence sweep, each pool's beat",
            labels=["job"],
        )
        for name in (pipeline.SWEEP, *(f"pool:{p}" for p in settings.WORKER_POOLS)):
            at = vitals.get(name)
            ages.add_metric([name], (now - at).total_seconds() if at else -1)
        yield ages
        marker = Path(settings.SNAPSHOT_DIR) / VERSION_FILE
        try:
            age = time.time() - marker.stat().st_mtime
        except OSError:
            age = -1
        yield GaugeMetricFamily("eps_snapshot_age_seconds", "Seconds since this node's snapshot was written", value=age)
        depths = _queue_depths()
        if depths is not None:
            depth = GaugeMetricFamily("eps_queue_depth", "Tasks waiting in each Celery queue", labels=["queue"])
            for name, n in depths.items():
                depth.add_metric([name], n)
            yield depth


@functools.lru_cache(maxsize=2)
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _queue_depths() -> dict[str, int] | None:
    """Each queue's length in Redis (Celery's Redis transport keeps a queue as a list of its name)."""
    if not settings.REDIS_URL:
        return None
    try:
        client = _redis(settings.REDIS_URL)
        with client.pipeline(transaction=False) as pipe:
            for name in queues.ALL:
                pipe.llen(name)
            return dict(zip(queues.ALL, pipe.execute(), strict=True))
    except redis.RedisError:
        return None  # Redis is away: the scrape still answers, and the pools' heartbeats say the rest


def allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
    return settings.DEBUG and request.META.get("REMOTE_ADDR") in ("127.0.0.1", "::1")


def metrics(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        return JsonResponse(
            {"type": "about:blank", "status": 403, "title": "Forbidden", "detail": "Send the metrics token."},
            status=403,
            content_type="application/problem+json",
        )
    registry = CollectorRegistry()
    if settings.METRICS_DIR:
        registry.register(EveryRole(settings.METRICS_DIR))
    else:
        registry.register(_ThisProcess())
    registry.register(NowState())
    response = HttpResponse(generate_latest(registry), content_type="text/plain; version=0.0.4; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


class _ThisProcess(Collector):
    """A laptop or a test: this process's own counters."""

    def collect(self):
        yield from REGISTRY.collect()
