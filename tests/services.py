"""Loaded with ``-p tests.services`` before Django starts: chooses the test database and
records which real servers are reachable.

With PostgreSQL on 127.0.0.1:5432 the whole suite runs on it, as production does;
without it the suite runs on SQLite and tests marked ``postgres`` or ``redis`` skip,
saying why. Under ``CI=true`` a missing server is an error, never a skip.
"""

import os
import socket
import tempfile

import pytest

CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/eps_status"
REDIS_URL = "redis://127.0.0.1:6379/15"


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


if "DATABASE_URL" not in os.environ and _listening(5432):
    os.environ["DATABASE_URL"] = POSTGRES_URL
AVAILABLE = {
    # Tests marked postgres need the test database itself to be PostgreSQL.
    "postgres": os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    "redis": _listening(6379),
}
WHY_NOT = {
    "postgres": "the test database is not PostgreSQL (no server on 127.0.0.1:5432, or DATABASE_URL points elsewhere)",
    "redis": "Redis is not running on 127.0.0.1:6379",
}
# Tests must not share the developer's var/ (cache, snapshot, SQLite file).
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="eps-status-tests-"))
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# Live-server threads must not keep connections open, or the test database cannot be dropped.
os.environ.setdefault("CONN_MAX_AGE", "0")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")


def pytest_report_header(config) -> list[str]:
    database = os.environ.get("DATABASE_URL", "SQLite (embedded default)")
    lines = [f"database: {database}"]
    for name, up in AVAILABLE.items():
        lines.append(f"{name}: {'in use' if up else WHY_NOT[name] + '; tests marked ' + name + ' will skip'}")
    return lines


def pytest_collection_modifyitems(config, items) -> None:
    for name, up in AVAILABLE.items():
        if up:
            continue
        marked = [item for item in items if item.get_closest_marker(name)]
        if marked and CI:
            raise pytest.UsageError(f"CI=true but {WHY_NOT[name]}; {len(marked)} tests need it")
        for item in marked:
            item.add_marker(pytest.mark.skip(reason=WHY_NOT[name]))
