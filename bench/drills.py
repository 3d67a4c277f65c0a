"""Reliability drills for patient alerts, run by bench/drills with real PostgreSQL, Redis, the
production Celery pools and beat, and the fake Twilio in Twilio's time. Each drill sends an update
to every subscriber and then counts, per number, what the fake Twilio accepted: 0 lost, 0
duplicated is the pass mark. The strangers drill also times detection, the holding notice and the
snapshot while two hostile webhook receivers are being posted to.
"""

import itertools
import json
import os
import random
import shlex
import signal
import subprocess
import sys
import time
from collections import Counter

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.fanout import children as children_of  # noqa: E402
from bench.fanout import fake, rss_mb  # noqa: E402
from detection import probes  # noqa: E402
from detection.healthdoc import parse  # noqa: E402
from integrations import endpoints  # noqa: E402
from integrations.models import Delivery as WebhookDelivery  # noqa: E402
from notifications import fanout  # noqa: E402
from notifications.bucket import cap  # noqa: E402
from notifications.models import Delivery, Notice, Subscriber  # noqa: E402
from notifications.tasks import plan_notice, send_batch  # noqa: E402
from statuspage.models import Broker, Component, Incident, IncidentDraft  # noqa: E402
from statuspage.publishing import open_incident, post_update  # noqa: E402
from tests.probe_docs import healthy  # noqa: E402
from tests.strangers import Stranger  # noqa: E402

REDIS_START = shlex.split(os.environ["REDIS_START"])
FINAL = (Delivery.State.SENT, Delivery.State.DELIVERED, Delivery.State.FAILED)


def incident() -> Incident:
    found = Incident.objects.filter(name="Drill").first()
    if found:
        return found
    broker = Broker.objects.get(component__slug="cegedim-pharmacy-manager-england")
    return open_incident("Drill", "Drill: nothing is wrong.", "minor", {broker.component: "degraded_performance"})


def publish(n: int) -> Notice:
    update = post_update(incident(), "identified", f"Drill update {n}", notify=True)
    return Notice.objects.get(update=update)


def wait_done(notice: Notice, limit: float = 600) -> float:
    started = time.time()
    expected = Subscriber.objects.filter(state="active").count()
    while time.time() - started < limit:
        if Delivery.objects.filter(notice=notice, state__in=FINAL).count() >= expected:
            return time.time() - started
        time.sleep(1)
    raise SystemExit(f"notice {notice.pk} not finished in {limit} s: {fanout.progress(notice.pk)}")


def tally(notice: Notice) -> dict:
    texts = Counter(m["to"] for m in fake("/_fake/messages") if m["body"] == notice.sms_body)
    numbers = {s.address for s in Subscriber.objects.filter(state="active")}
    return {
        "recipients": len(numbers),
        "lost": sum(1 for n in numbers if texts[n] == 0),
        "duplicated": sum(1 for n in numbers if texts[n] > 1),
        "extra_texts": sum(max(0, c - 1) for c in texts.values()),
    }


def fresh() -> None:
    fake("/_fake/reset", {})
    fake("/_fake/behaviour", {"callbacks": []})


def kill_workers(master: int, rounds: int) -> list[dict]:
    results = []
    for n in range(rounds):
        fresh()
        notice = publish(n)
        kills = 0
        deadline = time.time() + random.uniform(2, 6)
        expected = Subscriber.objects.filter(state="active").count()
        while Delivery.objects.filter(notice=notice, state__in=FINAL).count() < expected and kills < 3:
            if time.time() >= deadline:
                children = children_of(master)  # the pool processes
                if children:
                    os.kill(random.choice(children), signal.SIGKILL)
                    kills += 1
                deadline = time.time() + random.uniform(1, 4)
            time.sleep(0.1)
        took = wait_done(notice)
        results.append({"round": n + 1, "kills": kills, "seconds": round(took, 1), **tally(notice)})
        print(json.dumps(results[-1]), file=sys.stderr)
    return results


def restart_redis() -> dict:
    fresh()
    notice = publish(100)
    time.sleep(3)
    subprocess.run(["redis-cli", "-n", "0", "shutdown", "nosave"], check=False, capture_output=True)
    stopped = time.time()
    time.sleep(2)
    subprocess.run(REDIS_START, check=True)
    before = fake("/_fake/stats")["accepted"]
    resumed = None
    while resumed is None and time.time() - stopped < 300:
        if fake("/_fake/stats")["accepted"] > before:
            resumed = time.time() - stopped
        time.sleep(0.5)
    took = wait_done(notice)
    return {
        "drill": "Redis restarted mid fan-out",
        "sending_resumed_after_s": round(resumed or -1, 1),
        "seconds": round(took, 1),
        **tally(notice),
    }


def everything_twice() -> dict:
    fresh()
    notice = publish(200)
    plan_notice.delay(notice.pk)  # a second planner, at once
    while not Notice.objects.filter(pk=notice.pk, planned_at__isnull=False).exists():
        time.sleep(0.2)
    for first_id, last_id in fanout.batches(notice.pk):
        send_batch.delay(notice.pk, first_id, last_id)  # every batch task delivered a second time
        send_batch.delay(notice.pk, first_id, last_id)
    took = wait_done(notice)
    return {"drill": "every task twice, the fan-out planned twice at once", "seconds": round(took, 1), **tally(notice)}


def storm() -> dict:
    fresh()
    fake("/_fake/behaviour", {"callbacks": [], "fail": "429", "share": 0.3})
    notice = publish(300)
    time.sleep(20)
    fake("/_fake/behaviour", {"callbacks": [], "fail": None})
    took = wait_done(notice)
    stats = fake("/_fake/stats")
    return {
        "drill": "429 storm: 30% of calls for 20 s",
        "seconds": round(took, 1),
        "refused_429": stats["refused"],
        "most_calls_in_a_second": stats["most_calls_in_a_second"],
        "configured_rate": settings.SMS_PER_SECOND,
        **tally(notice),
    }


def redis_down_at_publish() -> dict:
    fresh()
    subprocess.run(["redis-cli", "-n", "0", "shutdown", "nosave"], check=False, capture_output=True)
    time.sleep(1)
    started = time.time()
    notice = publish(400)  # must succeed: the notice is in the database, whatever the queue says
    published_in = time.time() - started
    time.sleep(5)
    subprocess.run(REDIS_START, check=True)
    took = wait_done(notice)
    return {
        "drill": "Redis unreachable while publishing",
        "publish_took_s": round(published_in, 1),
        "seconds_after_redis_back": round(took, 1),
        **tally(notice),
    }


def strangers(pids: list[int]) -> dict:
    """During an outage, two hostile webhook receivers: one trickling a byte every 8 s, one
    answering 300 MB. Detection, the holding notice, the texts and the snapshot must not notice."""
    fresh()
    slow, greedy = Stranger("trickle", interval=8.0).start(), Stranger("huge").start()
    for s in (slow, greedy):
        endpoint, _ = endpoints.register(s.url + "/hook", "integrator@example.org")
        endpoints.confirm(endpoint)
    broker = Broker.objects.select_related("component").get(component__slug="cegedim-pharmacy-manager-england")
    Incident.objects.filter(name="Drill").update(status="resolved")  # the earlier drills' incident
    Component.objects.filter(pk=broker.component_id).update(status="operational")
    last_probe = timezone.now()
    probes.record(
        probes.Received(broker.pk, parse(healthy(last_probe), last_probe), last_probe, "push", healthy(last_probe))
    )
    snapshot = settings.SNAPSHOT_DIR / "index.html"
    peak: dict[int, float] = {}
    rewrites: list[float] = []
    silent_at = published_at = None
    started = time.time()
    while time.time() - started < 240:
        for pid, mb in rss_mb(pids + [c for p in pids for c in children_of(p)]).items():
            peak[pid] = max(peak.get(pid, 0), mb)
        if snapshot.exists() and (not rewrites or snapshot.stat().st_mtime > rewrites[-1]):
            rewrites.append(snapshot.stat().st_mtime)
        status = Component.objects.get(pk=broker.component_id).status
        if silent_at is None and status != "operational":
            silent_at = time.time()
        draft = IncidentDraft.objects.filter(broker=broker).order_by("-opened_at").first()
        if published_at is None and draft and draft.state == IncidentDraft.State.PUBLISHED:
            published_at = time.time()
            opened_at = draft.opened_at.timestamp()
        if published_at and time.time() - published_at > 45:
            break
        time.sleep(0.5)
    notice = Notice.objects.filter(incident__draft__broker=broker).order_by("-created_at").first()
    per_second = fake("/_fake/stats")["calls_per_second"]
    seconds = [per_second[k] for k in sorted(per_second, key=int)][1:-1]
    busy = [n for n in seconds if n > 0]
    posts = {}
    for s in (slow, greedy):
        rows = WebhookDelivery.objects.filter(endpoint__url=s.url + "/hook")
        posts["trickling" if s is slow else "300 MB"] = {
            "events": rows.count(),
            "attempts_recorded": sum(r.attempts for r in rows),
            "posts_received": s.requests,
            "states": sorted({r.state for r in rows}),
        }
    gaps = [b - a for a, b in itertools.pairwise(rewrites)]
    return {
        "drill": "slow strangers during an outage: a webhook receiver trickling a byte every 8 s, one answering 300 MB",
        "silence_shown_after_last_probe_s": round(silent_at - last_probe.timestamp(), 1) if silent_at else None,
        "holding_notice_after_draft_s": round(published_at - opened_at, 1) if published_at else None,
        "holding_notice_due_after_s": settings.HOLDING_NOTICE_AFTER_SECONDS,
        "texts_per_second_while_sending": {
            "median": sorted(busy)[len(busy) // 2] if busy else 0,
            "cap": cap(settings.SMS_PER_SECOND),
        },
        "longest_gap_between_snapshot_rewrites_s": round(max(gaps), 1) if gaps else None,
        "snapshot_rewrites": len(rewrites),
        "largest_process_mb": round(max(peak.values())),
        "webhook_posts": posts,
        **(tally(notice) if notice else {}),
    }


DRILLS = {
    # First: its holding notice is an outage alert, which the hourly rule would keep from anyone
    # who had the drills' own alert within the hour.
    "strangers": lambda master, pids: strangers(pids),
    "kill": lambda master, pids: kill_workers(master, int(os.environ.get("ROUNDS", "10"))),
    "restart": lambda master, pids: restart_redis(),
    "twice": lambda master, pids: everything_twice(),
    "storm": lambda master, pids: storm(),
    "publish": lambda master, pids: redis_down_at_publish(),
}

if __name__ == "__main__":
    master, pids = int(sys.argv[1]), [int(p) for p in sys.argv[2:]]
    for name in os.environ.get("DRILLS", ",".join(DRILLS)).split(","):
        print(json.dumps({name: DRILLS[name](master, pids)}), flush=True)
