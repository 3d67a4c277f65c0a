"""The production layout started on one machine: nginx (TLS) in front of gunicorn and the snapshot, every
Celery pool, beat, PostgreSQL and Redis, DEBUG off, and the fake Twilio where Twilio would be.

Every role is started by deploy/run-role from its line in Procfile.production, and nginx from the
configuration `manage.py nginx_config` prints: what is checked is what a node runs.
"""

import datetime
import getpass
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import redis
from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
ROLES = ("web", "detection", "sends", "outbound", "snapshots", "beat")
DATABASE = "eps_production_check"
# Apart from the tests' (15, 14, 13), so a test run and this check never share keys.
REDIS_DB = 11
ACCOUNT_SID = "AC" + "5" * 32
HOST = "localhost"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1, as nginx would have from the NHS's CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(HOST), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert, key_file = folder / "tls.pem", folder / "tls.key"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert, key_file


# nginx's own wrapper for one machine (a node has /etc/nginx/nginx.conf): its workers run as whoever runs
# the check (the "user" line counts only when that is root), so they can read the snapshot it wrote.
NGINX_MAIN = """user {user};
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/logs/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  include /etc/nginx/mime.types;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path {work}/nginx/body;
  proxy_temp_path {work}/nginx/proxy;
  fastcgi_temp_path {work}/nginx/fastcgi;
  uwsgi_temp_path {work}/nginx/uwsgi;
  scgi_temp_path {work}/nginx/scgi;
  include {work}/eps-status.conf;
}}
"""


def nginx_main(work: Path) -> str:
    return NGINX_MAIN.format(work=work, user=getpass.getuser())


class Layout:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.logs = work / "logs"
        self.https_port, self.http_port = free_port(), free_port()
        self.app_port, self.twilio_port, self.smtp_port = free_port(), free_port(), free_port()
        self.site = f"https://{HOST}:{self.https_port}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.auth_token = secrets.token_hex(16)
        self.metrics_token = secrets.token_urlsafe(24)
        self.cert: Path | None = None

    # --- set-up --------------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "TWILIO_"))}
        return {
            **base,
            "PATH": f"{ROOT / '.venv' / 'bin'}:{base.get('PATH', '')}",
            "NO_PROXY": "127.0.0.1,localhost",
            "DEBUG": "false",
            "SECRET_KEY": self.secret_key,
            "PERSONAL_DATA_KEY": self.personal_key,
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
            "SITE_URL": self.site,
            "BEHIND_TLS_PROXY": "true",
            "TRUSTED_PROXIES": "127.0.0.1/32",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "VAR_DIR": str(self.work / "var"),
            "SNAPSHOT_DIR": str(self.work / "snapshot"),
            "STATIC_ROOT": str(self.work / "static"),
            "METRICS_DIR": str(self.work / "metrics"),
            "METRICS_TOKEN": self.metrics_token,
            "BEAT_SCHEDULE_FILE": str(self.work / "beat-schedule"),
            "GUNICORN_BIND": f"127.0.0.1:{self.app_port}",
            "WEB_CONCURRENCY": "3",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "DEBUG",
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "TWILIO_MESSAGING_SERVICE_SID": "MG" + "5" * 32,
            "TWILIO_API_BASE_URL": f"http://127.0.0.1:{self.twilio_port}",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "WEBHOOKS_ALLOW_PRIVATE": "false",
            # The check's broker has failed for a few seconds, not ten minutes, before its notice goes out.
            "HOLDING_NOTICE_AFTER_SECONDS": "5",
        }

    def prepare(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        for folder in ("logs", "var", "snapshot", "static", "metrics", "nginx"):
            (self.work / folder).mkdir(parents=True)
        self.secret_key = secrets.token_urlsafe(50)
        self.personal_key = Fernet.generate_key().decode()
        self.cert, key = self_signed(self.work)
        redis.Redis.from_url(f"redis://127.0.0.1:6379/{REDIS_DB}").flushdb()
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            db.execute(f"CREATE DATABASE {DATABASE}")
        self.manage("migrate", "--no-input")
        self.manage("collectstatic", "--no-input")
        self.manage("load_demo")
        self.manage("write_snapshot")
        config = self.manage(
            "nginx_config",
            f"--server-name={HOST}",
            f"--listen=127.0.0.1:{self.https_port}",
            f"--http-listen=127.0.0.1:{self.http_port}",
            f"--app=127.0.0.1:{self.app_port}",
            f"--certificate={self.cert}",
            f"--certificate-key={key}",
            f"--access-log={self.logs / 'nginx-access.log'}",
        )
        (self.work / "eps-status.conf").write_text(config)
        (self.work / "nginx.conf").write_text(nginx_main(self.work))

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env(), capture_output=True, text=True, timeout=600
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    # --- processes ----------------------------------------------------------------------------
    def start(self, name: str, command: list[str], **env: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # the process writes it until it stops
        process = subprocess.Popen(
            command, cwd=ROOT, env={**self.env(), **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def start_role(self, role: str, name: str | None = None, **env: str) -> subprocess.Popen:
        return self.start(name or role, [str(ROOT / "deploy" / "run-role"), role], **env)

    def start_all(self) -> None:
        self.start("nginx", ["nginx", "-p", str(self.work), "-c", str(self.work / "nginx.conf"), "-g", "daemon off;"])
        self.start(
            "twilio",
            [
                *(PYTHON, "manage.py", "fake_twilio", f"--port={self.twilio_port}", f"--account-sid={ACCOUNT_SID}"),
                *(
                    f"--auth-token={self.auth_token}",
                    "--latency-ms=150",
                    "--jitter-ms=50",
                    f"--callback-ca={self.cert}",
                ),
            ],
        )
        self.start("smtp", [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.smtp_port}"])
        for role in ROLES:
            self.start_role(role)

    def stop(self, name: str, timeout: float = 30) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def dead(self) -> list[str]:
        return [name for name, p in self.processes.items() if p.poll() is not None]

    def log(self, name: str) -> str:
        file = self.logs / f"{name}.log"
        return file.read_text(errors="replace") if file.exists() else ""

    def wait_until(self, what: str, ready, timeout: float = 60, every: float = 0.1):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                found = ready()
            except Exception:  # not up yet: a refused connection, a half-written file
                found = None
            if found:
                return found
            time.sleep(every)
        raise TimeoutError(f"{what}: not within {timeout:g} s")
