import random
import time
import uuid

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo import ops as demo_ops
from demo import simulator
from detection import tokens
from statuspage.models import Broker

LABEL = "simulator"
TIMELINE_SECONDS = 25 * 60


class Command(BaseCommand):
    help = (
        "Play suppliers' brokers against the push API over real HTTP: healthy, slow, failing, silent, "
        "recovering with a backlog, and a replay of the June 2016 Cegedim outage (see demo/simulator.py)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default=settings.SITE_URL, help="the site to post to (default SITE_URL)")
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between each broker's probes")
        parser.add_argument(
            "--scenario", default="national", choices=["national", *sorted(simulator.ONLY)], help="what the brokers do"
        )
        parser.add_argument("--brokers", nargs="*", metavar="SLUG", help="only these brokers (default: all central)")
        parser.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: never)")
        parser.add_argument("--loop", action="store_true", help="replay the national timeline every 25 minutes")
        parser.add_argument(
            "--after", type=float, default=0, help="report healthy for this many seconds before the scenario starts"
        )
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument(
            "--no-ops",
            dest="ops",
            action="store_false",
            help="leave recovered outages for you to resolve (by default the demo's ops resolve them, demo/ops.py)",
        )

    def handle(self, url, interval, scenario, brokers, duration, loop, after, seed, ops, **options) -> None:
        chosen = Broker.objects.select_related("component").filter(site__isnull=True)
        if brokers:
            chosen = Broker.objects.select_related("component").filter(component__slug__in=brokers)
        chosen = list(chosen)
        if not chosen:
            raise CommandError("No brokers to simulate: load the demo first (manage.py load_demo).")
        # Fresh tokens each run; the last run's for these brokers are revoked, so tokens never pile up
        # (and a simulator playing other brokers beside this one keeps its own).
        tokens.revoke_labelled(LABEL, chosen)
        Broker.objects.filter(pk__in=[b.pk for b in chosen]).update(heartbeat_seconds=max(1, round(interval)))
        players = [
            (
                b,
                tokens.issue(b, label=LABEL),
                simulator.delayed(simulator.scenario_for(b.component.slug, scenario), after),
            )
            for b in chosen
        ]
        endpoint = url.rstrip("/") + "/api/v1/probes"
        self.stdout.write(f"Simulating {len(players)} brokers ({scenario}) against {endpoint} every {interval:g} s")
        self.stdout.flush()
        rng = random.Random(seed)
        session = requests.Session()
        started = time.monotonic()
        while not duration or time.monotonic() - started < duration:
            tick = time.monotonic()
            elapsed = tick - started
            t = elapsed % TIMELINE_SECONDS if loop else elapsed
            for broker, token, play in players:
                doc = play(t, timezone.now(), rng)
                if doc is not None:
                    self._post(session, endpoint, token, doc, broker)
            if ops and (fixed := demo_ops.resolve_recovered(timezone.now())):
                self.stdout.write(f"The demo's ops resolved {fixed} recovered outage(s).")
            time.sleep(max(0.0, interval - (time.monotonic() - tick)))

    def _post(self, session, endpoint, token, doc, broker) -> None:
        # One key per probe: a retry after a lost answer counts once.
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
        for attempt in range(3):
            try:
                response = session.post(
                    endpoint, json=doc, headers={**headers, "Content-Type": "application/health+json"}, timeout=5
                )
            except requests.RequestException as e:
                if attempt == 2:
                    self.stderr.write(f"{broker.component.slug}: {type(e).__name__} (is the web server up?)")
                time.sleep(0.5 * (attempt + 1))
                continue
            if response.status_code != 202:
                self.stderr.write(f"{broker.component.slug}: {response.status_code} {response.text[:200]}")
            return
