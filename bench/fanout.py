"""Fan-out to a million: run by bench/fanout with the bench settings, fake Twilio and workers already up.

Measures, in one run: the ceiling (the twilio library posting the same text straight to the same
fake Twilio from one process); then an incident published for N subscribers: time to the first
text accepted, time until every delivery is planned, sustained sends per second, and the peak
memory of every process.
"""

import json
import os
import sys
import threading
import time
import urllib.request

import django

django.setup()

from django.conf import settings  # noqa: E402

from notifications import fanout  # noqa: E402
from notifications.channels.twilio_sms import _client  # noqa: E402
from notifications.models import Delivery, Notice  # noqa: E402
from statuspage.models import Broker  # noqa: E402
from statuspage.publishing import open_incident  # noqa: E402

FAKE = settings.TWILIO_API_BASE_URL


def fake(path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(FAKE + path, data=data), timeout=30) as answer:
        return json.loads(answer.read())


def ceiling(count: int) -> float:
    client = _client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, FAKE)
    body = (
        "NHS: prescriptions to Pharmacy Manager pharmacies in England may be delayed. They're safe: no need to "
        "contact your GP. status.eps.nhs.uk/i/abc123def456 STOP to end"
    )
    started = time.perf_counter()
    for i in range(count):
        client.messages.create(
            to=f"+4475{i:08d}",
            body=body,
            messaging_service_sid=settings.TWILIO_MESSAGING_SERVICE_SID,
            status_callback=settings.SITE_URL + "/webhooks/twilio/status",
        )
    return count / (time.perf_counter() - started)


def rss_mb(pids: list[int]) -> dict[int, float]:
    found = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        found[pid] = int(line.split()[1]) / 1024
        except OSError:
            pass
    return found


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = [int(p) for p in f.read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in children(k)]


def main(subscribers: int, window: float, ceiling_count: int, pids: list[int]) -> None:
    quiet = {"callbacks": [], "keep": False}  # receipts would go to a web node this bench does not run
    fake("/_fake/reset", {})
    fake("/_fake/behaviour", quiet)
    top = ceiling(ceiling_count)
    fake("/_fake/reset", {})
    fake("/_fake/behaviour", quiet)

    watched = pids + [c for p in pids for c in children(p)]
    peak: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid, mb in rss_mb(watched + [c for p in pids for c in children(p)]).items():
                peak[pid] = max(peak.get(pid, 0), mb)
            time.sleep(0.5)

    threading.Thread(target=sample, daemon=True).start()
    broker = Broker.objects.get(component__slug="cegedim-pharmacy-manager-england")
    t0 = time.time()
    incident = open_incident(
        "Problem sending prescriptions to pharmacies in England that use Pharmacy Manager",
        "We know about a problem; we are investigating.",
        "critical",
        {broker.component: "major_outage"},
    )
    published = time.time()
    notice = Notice.objects.get(incident=incident)
    first_at = planned_at = None
    samples = []
    while time.time() - published < window + 120:
        stats = fake("/_fake/stats")
        now = time.time()
        if stats["first_at"] and first_at is None:
            first_at = stats["first_at"]
        notice.refresh_from_db()
        if notice.planned_at and planned_at is None:
            planned_at = notice.planned_at.timestamp()
        samples.append((now, stats["accepted"]))
        if first_at and now - first_at > window and planned_at:
            break
        time.sleep(1)
    stop.set()
    fanout.cancel(notice.pk)
    steady = [(t, n) for t, n in samples if first_at and t - first_at >= 5]
    rate = (steady[-1][1] - steady[0][1]) / (steady[-1][0] - steady[0][0]) if len(steady) > 1 else 0
    planned = Delivery.objects.filter(notice=notice).count()
    result = {
        "subscribers": subscribers,
        "publish_to_commit_s": round(published - t0, 2),
        "first_text_s": round(first_at - published, 2) if first_at else None,
        "all_planned_s": round(planned_at - published, 2) if planned_at else None,
        "deliveries_planned": planned,
        "sent_per_s": round(rate),
        "sent_in_window": samples[-1][1],
        "window_s": round(samples[-1][0] - (first_at or samples[-1][0])),
        "ceiling_per_s": round(top),
        "share_of_ceiling": round(rate / top, 2) if top else None,
        "peak_rss_mb": {str(pid): round(mb) for pid, mb in sorted(peak.items())},
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), [int(p) for p in sys.argv[4:]])
