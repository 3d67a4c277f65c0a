"""gunicorn for a web node, behind nginx on the same host (deploy/nginx).

    gunicorn -c deploy/gunicorn.conf.py config.wsgi


Sync workers: nginx buffers every request and answer, so a slow client holds nginx's memory, never a
worker. The settings a node needs are in docs/operations.md ("Settings by role").
"""

import os
import shutil
from pathlib import Path

from prometheus_client import multiprocess

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# A request that takes longer than this is cut off; nginx gives up at 30 s too (proxy_read_timeout).
timeout = 30
graceful_timeout = 30
keepalive = 30
# A worker is replaced after this many requests (with jitter, so never all at once): a leak cannot grow.
max_requests = 20000
max_requests_jitter = 2000
# nginx on this host wrote X-Forwarded-For and X-Forwarded-Proto; Django reads them
# (TRUSTED_PROXIES, BEHIND_TLS_PROXY), gunicorn needs only to believe the scheme from this address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# nginx writes the access log, with the request id; gunicorn's would be a second copy.
accesslog = None
errorlog = "-"
# Workers' heartbeat files in memory, not on a disk that may stall.
MEMORY = Path("/dev/shm")  # noqa: S108 -- gunicorn's own advice for worker_tmp_dir
worker_tmp_dir = os.environ.get("GUNICORN_TMP_DIR", str(MEMORY) if MEMORY.is_dir() else None)


def on_starting(server) -> None:
    # Metrics from every worker are gathered through files in this folder (prometheus_client's
    # multiprocess mode); a dead worker's counters are kept, its gauges dropped (child_exit).
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
