"""Fan-out to a million: run by bench/fanout with the bench settings, fake Twilio and worker pools already up.

Measures, in one run: the ceiling (the twilio library's own async client, AsyncTwilioHttpClient, posting
the same text straight to the same fake Twilio from one process with as many creates in flight as the
whole send pool); then an incident published for N subscribers: time to the first text accepted, time
until every delivery is planned, sustained sends per second, texts in each clock second, and the peak
memory of every process.
"""

import asyncio
import json
import os
import sys
import threading
import time
import urllib.request
from urllib.parse import urlsplit

import django

django.setup()

from aiohttp import ClientSession, TCPConnector  # noqa: E402
from django.conf import settings  # noqa: E402
from twilio.http.async_http_client import AsyncTwilioHttpClient  # noqa: E402
from twilio.rest import Client  # noqa: E402

from notifications import fanout  # noqa: E402
from notifications.models import Delivery, Notice  # noqa: E402
from statuspage.models import Broker  # noqa: E402
from statuspage.publishing import open_incident  # noqa: E402

FAKE = settings.TWILIO_API_BASE_URL
BODY = (
    "NHS: prescriptions to Pharmacy Manager pharmacies in England may be delayed. They're safe: no need to "
    "contact your GP. status.eps.nhs.uk/i/abc123def456 STOP to end"
)


def fake(path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(FAKE + path, data=data), timeout=30) as answer:
        return json.loads(answer.read())


class ToTheFake(AsyncTwilioHttpClient):
    """The library's own async client, its pool raised to the number in flight, pointed at the fake."""

    def __init__(self, in_flight: int) -> None:
        super().__init__(pool_connections=False)
        self.in_flight = in_flight

    async def request(self, method, url, *args, **kwargs):
        if self.session is None:
            self.session = ClientSession(connector=TCPConnector(limit=self.in_flight))
        parts = urlsplit(url)
        return await super().request(method, FAKE + parts.path, *args, **kwargs)


async def _ceiling(seconds: float, in_flight: int) -> float:
    http = ToTheFake(in_flight)
    client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http)
    sent = 0
    until = time.perf_counter() + seconds

    async def one_after_another(n: int) -> None:
        nonlocal sent
        while time.perf_counter() < until:
            await client.messages.create_async(
                to=f"+4475{n:04d}{sent % 10000:04d}",
                body=BODY,
                messaging_service_sid=settings.TWILIO_MESSAGING_SERVICE_SID,
                status_callback=settings.SITE_URL + "/webhooks/twilio/status",
            )
            sent += 1

    started = time.perf_counter()
    await asyncio.gather(*(one_after_another(n) for n in range(in_flight)))
    took = time.perf_counter() - started
    await http.session.close()
    return sent / took


def ceiling(seconds: float, in_flight: int) -> float:
    return asyncio.run(_ceiling(seconds, in_flight))


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


def names(pids: list[int]) -> dict[int, str]:
    found = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                words = f.read().split(b"\0")
            found[pid] = " ".join(w.decode() for w in words[1:6] if w)[:60]
        except OSError:
            pass
    return found


def main(subscribers: int, window: float, pids: list[int]) -> None:
    quiet = {"callbacks": [], "keep": False}  # receipts would go to a web node this bench does not run
    in_flight = int(os.environ["SENDS_CONCURRENCY"]) * settings.SMS_IN_FLIGHT
    fake("/_fake/reset", {})
    fake("/_fake/behaviour", quiet)
    top = ceiling(float(os.environ.get("CEILING_SECONDS", "20")), in_flight)
    fake("/_fake/reset", {})
    fake("/_fake/behaviour", quiet)

    peak: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid, mb in rss_mb(pids + [c for p in pids for c in children(p)]).items():
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
        if stats["accepted"] >= subscribers:
            break
        time.sleep(1)
    stop.set()
    per_second = fake("/_fake/stats")["calls_per_second"]
    fanout.cancel(notice.pk)
    steady = [(t, n) for t, n in samples if first_at and t - first_at >= 5]
    rate = (steady[-1][1] - steady[0][1]) / (steady[-1][0] - steady[0][0]) if len(steady) > 1 else 0
    # Whole clock seconds only: the first and last are partial.
    seconds = [per_second[k] for k in sorted(per_second, key=int)][1:-1]
    planned = Delivery.objects.filter(notice=notice).count()
    labels = names(list(peak))
    result = {
        "subscribers": subscribers,
        "provider_latency_ms": f"{os.environ['LATENCY_MS']} ± {os.environ['JITTER_MS']}",
        "sms_per_second_setting": settings.SMS_PER_SECOND,
        "in_flight": f"{os.environ['SENDS_CONCURRENCY']} processes × {settings.SMS_IN_FLIGHT}",
        "publish_to_commit_s": round(published - t0, 2),
        "first_text_s": round(first_at - published, 2) if first_at else None,
        "all_planned_s": round(planned_at - published, 2) if planned_at else None,
        "deliveries_planned": planned,
        "sent_per_s": round(rate),
        "sent_in_window": samples[-1][1],
        "window_s": round(samples[-1][0] - (first_at or samples[-1][0])),
        "texts_per_clock_second": {"min": min(seconds, default=0), "max": max(seconds, default=0), "n": len(seconds)},
        "texts_in_each_second": seconds if len(seconds) <= 120 else [*seconds[:60], "...", *seconds[-60:]],
        "ceiling_per_s": round(top),
        "share_of_ceiling": round(rate / top, 2) if top else None,
        "fake_alone_per_s": int(os.environ.get("FAKE_ALONE") or 0),
        "fake_alone_over_pipeline": round(int(os.environ.get("FAKE_ALONE") or 0) / rate, 1) if rate else None,
        "peak_rss_mb": {f"{pid} {labels.get(pid, '')}": round(mb) for pid, mb in sorted(peak.items())},
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]), [int(p) for p in sys.argv[3:]])
