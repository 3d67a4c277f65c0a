"""Our own outages, drilled (docs/reliability.md): the whole production layout on PostgreSQL reached
through a proxy we can cut and a Redis of its own we can stop, with every central broker of the demo
probing over HTTP every 10 s and the public pages read twice a second throughout. For each outage:
public 5xx answers, status changes, drafts, webhooks and texts that came out of it (all should be 0),
and how long after recovery everything was back to normal.

    bench/outages            # DRILLS=postgres,redis,beat,detection,web  (REDIS_LONG=1 adds Redis down 50 min)
"""

import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv/bin/python")
BIN = ROOT / ".venv/bin"
# OFFSET lets a second run (the 50-minute Redis drill, say) go beside the first on its own ports and database.
OFFSET = int(os.environ.get("OFFSET", "0"))
WEB, PG_PROXY, REDIS_PORT, TWILIO, RECEIVER = (port + OFFSET for port in (8290, 6543, 6390, 8291, 8292))
DATABASE = f"eps_status_outages{OFFSET or ''}"
POOLS = {
    "detection": "periodic,default",
    "sends": "confirm,send",
    "outbound": "webhooks,pulls",
    "snapshots": "snapshots",
}
PUBLIC = ["/", "/cy/", "/api/v2/summary.json", "/api/v1/advice?pharmacy=FW844", "/history/"]


class Cuttable:
    """A TCP proxy to PostgreSQL that can be cut: every open connection dropped, new ones refused."""

    def __init__(self, listen: int, target: int) -> None:
        self.listen, self.target, self.links = listen, target, set()
        self.loop = asyncio.new_event_loop()
        self.server = None
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.restore()

    async def _pipe(self, reader, writer) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _link(self, reader, writer) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.close()
            return
        self.links |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self.links -= {writer, up_writer}

    def restore(self) -> None:
        async def start():
            self.server = await asyncio.start_server(self._link, "127.0.0.1", self.listen, reuse_address=True)

        asyncio.run_coroutine_threadsafe(start(), self.loop).result()

    def cut(self) -> None:
        async def stop():
            self.server.close()
            for w in list(self.links):
                w.transport.abort()
            self.links.clear()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result()


class Receiver(BaseHTTPRequestHandler):
    """An integrator's webhook endpoint that counts what it is sent."""

    events: list[dict] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Receiver.events.append({"at": time.time(), "event": self.headers.get("X-EPS-Event"), "size": len(body)})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


class Reader(threading.Thread):
    """The public, reading the pages twice a second; what came back, by second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.answers: list[tuple[float, str, int]] = []
        self.running = True

    def run(self) -> None:
        session = requests.Session()
        while self.running:
            for path in PUBLIC:
                try:
                    status = session.get(f"http://127.0.0.1:{WEB}{path}", timeout=5).status_code
                except requests.RequestException:
                    status = 0  # no answer at all: the web itself is down
                self.answers.append((time.time(), path, status))
            time.sleep(0.5)

    def between(self, start: float, end: float) -> dict:
        seen = [(p, s) for at, p, s in self.answers if start <= at <= end]
        return {
            "requests": len(seen),
            "5xx": sum(1 for _, s in seen if s >= 500),
            "no answer": sum(1 for _, s in seen if s == 0),
            "5xx paths": sorted({p for p, s in seen if s >= 500}),
        }


def environment(work: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PROXY}/{DATABASE}",
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "DEBUG": "false",
        # A drill on one machine: plain HTTP, local receivers (config/safety.py).
        "ACCEPT_UNSAFE_SETTINGS": "true",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{WEB}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PERSONAL_DATA_KEY": Fernet.generate_key().decode(),
        "VAR_DIR": str(work / "var"),
        "SNAPSHOT_DIR": str(work / "snapshot"),
        "LOG_LEVEL": "WARNING",
        "WEBHOOKS_ALLOW_PRIVATE": "true",
        "HOLDING_NOTICE_AFTER_SECONDS": "60",
        "CONN_MAX_AGE": "0",
        "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
        "TWILIO_AUTH_TOKEN": "outage-drill",
        "TWILIO_MESSAGING_SERVICE_SID": "MG00000000000000000000000000000000",
        "TWILIO_API_BASE_URL": f"http://127.0.0.1:{TWILIO}",
        "NO_PROXY": "127.0.0.1,localhost",
    }


class Stack:
    def __init__(self, env: dict, work: Path) -> None:
        self.env, self.work, self.procs = env, work, {}

    def start(self, role: str) -> None:
        log = open(self.work / f"{role}.log", "a")
        commands = {
            "web": [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{WEB}", "--workers", "3"],
            "beat": [str(BIN / "celery"), "-A", "config", "beat", "-s", str(self.work / "beat-schedule")],
            "twilio": [PY, "manage.py", "fake_twilio", "--port", str(TWILIO), "--account-sid",
                       self.env["TWILIO_ACCOUNT_SID"], "--auth-token", self.env["TWILIO_AUTH_TOKEN"],
                       "--latency-ms", "150", "--jitter-ms", "50"],
            "simulator": [PY, "manage.py", "simulate_brokers", "--url", f"http://127.0.0.1:{WEB}",
                          "--scenario", "healthy", "--interval", "10"],
            **{pool: [str(BIN / "celery"), "-A", "config", "worker", "-n", f"{pool}@%h", "-Q", queues,
                      "--concurrency", "2" if pool == "detection" else "1", "--loglevel", "WARNING"]
               for pool, queues in POOLS.items()},
        }  # fmt: skip
        self.procs[role] = subprocess.Popen(
            commands[role], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self, role: str) -> None:
        proc = self.procs.pop(role)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop_all(self) -> None:
        for role in list(self.procs):
            self.stop(role)


def redis(action: str) -> None:
    if action == "start":
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    else:
        subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], stdout=subprocess.DEVNULL)


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


COUNTS = """
from statuspage.models import StatusChange, IncidentDraft, Incident, Component
from integrations.models import Delivery as Hook
from notifications.models import Delivery, Notice
import json
not_ok = list(Component.objects.filter(broker__isnull=False, broker__site__isnull=True).exclude(status="operational")
    .values_list("slug", "status"))
print(json.dumps({"status changes": StatusChange.objects.count(), "drafts": IncidentDraft.objects.count(),
    "incidents": Incident.objects.count(), "webhooks": Hook.objects.count(), "notices": Notice.objects.count(),
    "texts": Delivery.objects.count(), "brokers not operational": not_ok}))
"""


def counts(env: dict) -> dict:
    return json.loads(manage(env, "shell", "-c", COUNTS).strip().splitlines()[-1])


def pipeline_ok() -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{WEB}/healthz/pipeline", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def normal(env: dict) -> bool:
    return pipeline_ok() and not counts(env)["brokers not operational"]


def drill(name: str, stack: Stack, env: dict, reader: Reader, proxy: Cuttable, down_for: float) -> dict:
    before = counts(env)
    hooks = len(Receiver.events)
    start = time.time()
    print(f"--- {name}: down for {down_for:.0f} s", file=sys.stderr, flush=True)
    if name == "postgres":
        proxy.cut()
    elif name.startswith("redis"):
        redis("stop")
    else:
        stack.stop({"detection": "detection", "beat": "beat", "web": "web"}[name])
    noticed = None  # when /healthz/pipeline first failed: how soon an outside uptime check would know
    while time.time() - start < down_for:
        if noticed is None and not pipeline_ok():
            noticed = time.time() - start
        time.sleep(5)
    back = time.time()
    if name == "postgres":
        proxy.restore()
    elif name.startswith("redis"):
        redis("start")
    else:
        stack.start(name)
    recovered = None
    while time.time() - back < 600:
        if normal(env):
            recovered = time.time() - back
            break
        time.sleep(5)
    time.sleep(60)  # and a minute more: anything that would come out of it late comes out now
    after = counts(env)
    return {
        "drill": name,
        "down seconds": round(down_for),
        "public": reader.between(start, time.time()),
        **{k: after[k] - before[k] for k in ("status changes", "drafts", "incidents", "webhooks", "notices", "texts")},
        "webhooks received": len(Receiver.events) - hooks,
        "brokers not operational": after["brokers not operational"],
        "pipeline check failed after seconds": None if noticed is None else round(noticed),
        "back to normal after seconds": None if recovered is None else round(recovered),
    }


def main() -> None:
    work = Path(os.environ.get("WORK", "/tmp/eps-outages"))
    work.mkdir(parents=True, exist_ok=True)
    env = environment(work)
    redis("stop")
    redis("start")
    proxy = Cuttable(PG_PROXY, 5432)
    fresh = ["-c", f"DROP DATABASE IF EXISTS {DATABASE}", "-c", f"CREATE DATABASE {DATABASE}"]
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", *fresh], check=True)
    manage(env, "migrate", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(env, "load_demo")
    receiver = ThreadingHTTPServer(("127.0.0.1", RECEIVER), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    manage(env, "shell", "-c", f"from integrations import endpoints; e, _ = endpoints.register("
           f"'http://127.0.0.1:{RECEIVER}/hook', 'ops@example.org'); endpoints.confirm(e)")  # fmt: skip
    stack = Stack(env, work)
    for role in ["twilio", "web", *POOLS, "beat", "simulator"]:
        stack.start(role)
    print("--- settling: every broker reporting, the pipeline healthy", file=sys.stderr, flush=True)
    deadline = time.time() + 300
    while not normal(env) and time.time() < deadline:
        time.sleep(5)
    reader = Reader()
    reader.start()
    time.sleep(30)
    plan = {"postgres": 90, "redis": 60, "beat": 300, "detection": 300, "web": 120, "redis-long": 3000}
    chosen = [d for d in os.environ.get("DRILLS", "postgres,redis,beat,detection,web").split(",") if d]
    if os.environ.get("REDIS_LONG"):
        chosen.append("redis-long")
    results = []
    try:
        for name in chosen:
            results.append(drill(name, stack, env, reader, proxy, plan[name]))
            print(json.dumps(results[-1]), flush=True)
    finally:
        reader.running = False
        stack.stop_all()
        redis("stop")
    print(f"machine: {os.cpu_count()} cores; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", file=sys.stderr)


if __name__ == "__main__":
    main()
