"""The cost of one steady probe in one process, through the full middleware stack: no wrk sharing the
CPU, so small changes to the probe path show. Run after bench/ingest, on the database it leaves:

    .venv/bin/python bench/probe_cost.py

Posts {"status":"pass"} for 4,000 random brokers: 400 to warm up, then 3 rounds of 1,200, printing
wall and process CPU per probe (PostgreSQL and Redis on 127.0.0.1, DEBUG off)."""

import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DATABASE_URL="postgres://postgres@127.0.0.1:5432/eps_status_ingest",
    REDIS_URL="redis://127.0.0.1:6379/3",
    DEBUG="false",
    ACCEPT_UNSAFE_SETTINGS="true",  # a drill on one machine (config/safety.py)
    SECURE_SSL_REDIRECT="false",
    ALLOWED_HOSTS="testserver",
    SITE_URL="http://testserver",
    LOG_LEVEL="ERROR",
    SECRET_KEY=os.urandom(40).hex(),
    PERSONAL_DATA_KEY="sNGjBDPQ0KlYoNFb8SEsFNSeZ64QkzTx9zbPhq6zJPY=",
)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.test import Client  # noqa: E402

from detection import tokens  # noqa: E402
from statuspage.models import Broker  # noqa: E402

BODY = json.dumps({"status": "pass"})


def per_probe(client: Client, keys: list[str], n: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        answer = client.post(
            "/api/v1/probes", BODY, content_type="application/health+json", HTTP_AUTHORIZATION=f"Bearer {keys[i]}"
        )
        if answer.status_code != 202:
            raise SystemExit(f"probe {i}: {answer.status_code} {answer.content[:200]!r}")
    return (time.perf_counter() - wall) / n * 1000, (time.process_time() - cpu) / n * 1000


def main() -> None:
    brokers = random.sample(list(Broker.objects.all()), 4000)
    keys = [tokens.issue(b) for b in brokers]
    client = Client()
    per_probe(client, keys[:400], 400)
    for round_ in range(3):
        start = 400 + round_ * 1200
        wall, cpu = per_probe(client, keys[start : start + 1200], 1200)
        print(f"wall {wall:.3f} ms  cpu {cpu:.3f} ms per probe")


if __name__ == "__main__":
    main()
