"""The whole system on PostgreSQL + Redis for a benchmark: gunicorn, a Celery worker, Celery beat
and, if asked, the fake Twilio, in a fresh database. Used by bench/detection and bench/console."""

import os
import secrets
import subprocess
import tempfile
import time

import requests
from cryptography.fernet import Fernet

PY = ".venv/bin/python"
QUEUES = "default,snapshots,periodic,send,webhooks"


def environment(database: str, redis_db: int, port: int, **extra: str) -> dict:
    work = tempfile.mkdtemp(prefix=f"eps-{database}-")
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "DEBUG": "false",
        # A drill on one machine: plain HTTP, local receivers (config/safety.py).
        "ACCEPT_UNSAFE_SETTINGS": "true",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PERSONAL_DATA_KEY": Fernet.generate_key().decode(),
        "VAR_DIR": f"{work}/var",
        "LOG_LEVEL": "WARNING",
        "WORK_DIR": work,
        **extra,
    }


def run(env: dict, *args: str) -> None:
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)


def fresh_database(env: dict, database: str, redis_db: int) -> None:
    run(
        env,
        "psql",
        "-q",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-c",
        f"DROP DATABASE IF EXISTS {database}",
        "-c",
        f"CREATE DATABASE {database}",
    )
    run(env, "redis-cli", "-n", str(redis_db), "flushdb")
    run(env, PY, "manage.py", "migrate", "-v0")
    run(env, PY, "manage.py", "collectstatic", "--no-input", "-v0")
    run(env, PY, "manage.py", "load_demo")


def start(env: dict, port: int, twilio_port: int | None = None) -> list[subprocess.Popen]:
    quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [
        subprocess.Popen(
            [".venv/bin/gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "4"], **quiet
        ),
        subprocess.Popen(
            [
                ".venv/bin/celery",
                "-A",
                "config",
                "worker",
                "-Q",
                QUEUES,
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
            ],
            **quiet,
        ),
        subprocess.Popen(
            [
                ".venv/bin/celery",
                "-A",
                "config",
                "beat",
                "--loglevel",
                "WARNING",
                "--schedule",
                f"{env['WORK_DIR']}/beat-schedule",
            ],
            **quiet,
        ),
    ]
    if twilio_port:
        procs.append(
            subprocess.Popen(
                [
                    PY,
                    "manage.py",
                    "fake_twilio",
                    "--port",
                    str(twilio_port),
                    "--account-sid",
                    env["TWILIO_ACCOUNT_SID"],
                    "--auth-token",
                    env["TWILIO_AUTH_TOKEN"],
                ],
                **quiet,
            )
        )
    for _ in range(60):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.5)
    return procs


def simulate(
    env: dict, port: int, scenario: str, after: float, interval: float, brokers: list[str]
) -> subprocess.Popen:
    """Starts the simulator; returns once it has started its clock (its first line)."""
    p = subprocess.Popen(
        [
            PY,
            "manage.py",
            "simulate_brokers",
            "--url",
            f"http://127.0.0.1:{port}",
            "--scenario",
            scenario,
            "--after",
            str(after),
            "--interval",
            str(interval),
            "--brokers",
            *brokers,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    p.stdout.readline()  # "Simulating ...": its clock starts now
    return p


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=20)
