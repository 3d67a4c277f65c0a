"""The audit trail cannot be rewritten: not through the ORM's back doors on SQLite, and on
PostgreSQL not even by the application's own role disabling the triggers or truncating the table."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from console import db_roles
from console.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]
ROLE = "eps_app_audit_test"


def test_on_sqlite_even_the_base_manager_cannot_change_or_remove_a_row(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "VAR_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    script = """
from django.utils import timezone
from console.models import AuditEntry
AuditEntry.objects.create(at=timezone.now(), username="a", action="x", object_type="t", object_id="1", summary="s")
rows = AuditEntry._base_manager
for attempt in (lambda: rows.update(summary="rewritten"), lambda: rows.all()._raw_delete("default")):
    try:
        attempt()
        print("ALLOWED")
    except Exception as e:
        print("REFUSED", e)
print(AuditEntry._base_manager.get().summary)
"""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "ALLOWED" not in done.stdout, done.stdout
    assert done.stdout.count("REFUSED") == 2 and done.stdout.strip().endswith("s")


def entry() -> AuditEntry:
    return AuditEntry.objects.create(
        at=timezone.now(), username="a", action="x", object_type="t", object_id="1", summary="s"
    )


def refused(sql: str) -> str:
    """Run ``sql`` in a savepoint; the database's reason for refusing it, or "" if it was allowed."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as e:
        return str(e)
    return ""


@pytest.mark.postgres
@pytest.mark.django_db
def test_on_postgresql_the_apps_role_can_only_read_and_append():
    row = entry()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') "
            f"THEN CREATE ROLE {ROLE}; END IF; END $$"
        )
    db_roles.grant_to_app(connection, ROLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {ROLE}")
    try:
        assert "must be owner" in refused("ALTER TABLE console_auditentry DISABLE TRIGGER ALL")
        assert "permission denied" in refused(
            f"UPDATE console_auditentry SET summary = 'rewritten' WHERE id = {row.pk}"
        )
        assert "permission denied" in refused(f"DELETE FROM console_auditentry WHERE id = {row.pk}")
        assert "permission denied" in refused("TRUNCATE console_auditentry")
        # What the app does need still works.
        assert (
            refused(
                "INSERT INTO console_auditentry (at, username, action, object_type, object_id, summary, via) "
                "VALUES (now(), 'b', 'y', 't', '2', 's', 'console')"
            )
            == ""
        )
        assert refused("SELECT count(*) FROM console_auditentry") == ""
        assert refused("UPDATE statuspage_component SET name = name WHERE false") == ""
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditEntry.objects.get(pk=row.pk).summary == "s"


def test_the_grants_name_the_role_safely():
    assert db_roles.grants('app"; DROP TABLE x; --')[0] == 'GRANT USAGE ON SCHEMA public TO "app""; DROP TABLE x; --"'
