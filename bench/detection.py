"""Detection, end to end: how long from a broker failing (or falling silent) until the public sees it.

Starts the whole system on PostgreSQL + Redis — gunicorn, a Celery worker, Celery beat — and two
simulator processes posting every 10 s over HTTP: three brokers that start failing after 30 s,
three that fall silent after 30 s. Polls the public API every 0.5 s. Run by bench/detection.
"""

import os
import secrets
import subprocess
import sys
import tempfile
import time

import requests

PORT = int(os.environ.get("WEB_PORT", "8230"))
FAILING = ["emis-web-england", "tpp-systmone-england", "cegedim-vision-england"]
SILENT = ["emis-proscript-connect-england", "invatech-titan-england", "apotec-england"]
AFTER = 30.0
INTERVAL = 10.0
WORK = tempfile.mkdtemp(prefix="eps-detect-")
ENV = {
    **os.environ,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/eps_status_detect",
    "REDIS_URL": "redis://127.0.0.1:6379/4",
    "DEBUG": "false",
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": f"http://127.0.0.1:{PORT}",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "VAR_DIR": f"{WORK}/var",
    "LOG_LEVEL": "WARNING",
}
PY = ".venv/bin/python"


def run(*args: str) -> None:
    subprocess.run(args, env=ENV, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    run(
        "psql",
        "-q",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-c",
        "DROP DATABASE IF EXISTS eps_status_detect",
        "-c",
        "CREATE DATABASE eps_status_detect",
    )
    run("redis-cli", "-n", "4", "flushdb")
    run(PY, "manage.py", "migrate", "-v0")
    run(PY, "manage.py", "load_demo")
    procs = [
        subprocess.Popen(
            [".venv/bin/gunicorn", "statuspage.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "4"],
            env=ENV,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                ".venv/bin/celery",
                "-A",
                "statuspage",
                "worker",
                "-Q",
                "default,snapshots,periodic,send",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
            ],
            env=ENV,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                ".venv/bin/celery",
                "-A",
                "statuspage",
                "beat",
                "--loglevel",
                "WARNING",
                "--schedule",
                f"{WORK}/beat-schedule",
            ],
            env=ENV,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(60):
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.5)
        started = {}
        for scenario, brokers in (("failing", FAILING), ("silent", SILENT)):
            p = subprocess.Popen(
                [
                    PY,
                    "manage.py",
                    "simulate_brokers",
                    "--url",
                    base,
                    "--scenario",
                    scenario,
                    "--after",
                    str(AFTER),
                    "--interval",
                    str(INTERVAL),
                    "--brokers",
                    *brokers,
                ],
                env=ENV,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            p.stdout.readline()  # "Simulating ...": its clock starts now
            started[scenario] = time.monotonic()
            procs.append(p)
        # Component ids for our brokers, by slug, from the database the site uses.
        ids = subprocess.run(
            [
                PY,
                "-c",
                "import django; django.setup(); from statuspage.models import Component as C; "
                f"print(' '.join(f'{{c.slug}}={{c.code}}' for c in C.objects.filter(slug__in={FAILING + SILENT!r})))",
            ],
            env={**ENV, "DJANGO_SETTINGS_MODULE": "statuspage.settings"},
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
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
