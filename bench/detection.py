"""Detection, end to end: how long from a broker failing (or falling silent) until the public sees it.

Starts the whole system on PostgreSQL + Redis — gunicorn, a Celery worker, Celery beat — and two
simulator processes posting every 10 s over HTTP: three brokers that start failing after 30 s,
three that fall silent after 30 s. Polls the public API every 0.5 s. Run by bench/detection.
"""

import os
import subprocess
import sys
import time

import requests

from bench import stack

PORT = int(os.environ.get("WEB_PORT", "8230"))
FAILING = ["emis-web-england", "tpp-systmone-england", "cegedim-vision-england"]
SILENT = ["emis-proscript-connect-england", "invatech-titan-england", "apotec-england"]
AFTER = 30.0
INTERVAL = 10.0
DATABASE = "eps_status_detect"
ENV = stack.environment(DATABASE, 4, PORT)
PY = stack.PY


def main() -> None:
    stack.fresh_database(ENV, DATABASE, 4)
    procs = stack.start(ENV, PORT)
    try:
        base = f"http://127.0.0.1:{PORT}"
        started = {}
        for scenario, brokers in (("failing", FAILING), ("silent", SILENT)):
            procs.append(stack.simulate(ENV, PORT, scenario, AFTER, INTERVAL, brokers))
            started[scenario] = time.monotonic()
        # Component ids for our brokers, by slug, from the database the site uses.
        ids = subprocess.run(
            [
                PY,
                "-c",
                "import django; django.setup(); from statuspage.models import Component as C; "
                f"print(' '.join(f'{{c.slug}}={{c.code}}' for c in C.objects.filter(slug__in={FAILING + SILENT!r})))",
            ],
            env={**ENV, "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        code_of = dict(pair.split("=") for pair in ids)
        seen: dict[str, tuple[float, str]] = {}
        deadline = time.monotonic() + AFTER + 150
        while len(seen) < len(code_of) and time.monotonic() < deadline:
            now = time.monotonic()
            statuses = {
                c["id"]: c["status"] for c in requests.get(base + "/api/v2/components.json").json()["components"]
            }
            for slug, code in code_of.items():
                if slug not in seen and statuses.get(code) != "operational":
                    seen[slug] = (now, statuses[code])
            time.sleep(0.5)
        print("| broker | what happened | public status seen | seconds after it began |")
        print("|---|---|---|---:|")
        for scenario, brokers in (("failing", FAILING), ("silent", SILENT)):
            began = started[scenario] + AFTER
            for slug in brokers:
                if slug in seen:
                    at, status = seen[slug]
                    print(
                        f"| {slug} | {'started failing' if scenario == 'failing' else 'fell silent'} "
                        f"| {status} | {at - began:.1f} |"
                    )
                else:
                    print(f"| {slug} | {scenario} | not seen within 150 s | – |")
        print(
            f"\nProbes every {INTERVAL:g} s; 'began' is the first failing probe, or the first missed one "
            f"(the last probe was {INTERVAL:g} s before it). Silence sweep every 15 s."
        )
    finally:
        stack.stop(procs)


if __name__ == "__main__":
    sys.exit(main())
