"""The audit trail is append-only on both databases, and on PostgreSQL TRUNCATE is refused too.

SQLite (a laptop, the demo) gets triggers that abort any UPDATE or DELETE of a row. PostgreSQL
already refused UPDATE and DELETE row by row; a statement trigger now refuses TRUNCATE, which row
triggers never see. What stops the application itself from disabling these triggers is that it
does not own the table: see console/db_roles.py.
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE TRIGGER IF NOT EXISTS console_audit_no_update BEFORE UPDATE ON console_auditentry
       BEGIN SELECT RAISE(ABORT, 'console_auditentry is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS console_audit_no_delete BEFORE DELETE ON console_auditentry
       BEGIN SELECT RAISE(ABORT, 'console_auditentry is append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS console_audit_no_update",
    "DROP TRIGGER IF EXISTS console_audit_no_delete",
]
PG_CREATE = """
CREATE TRIGGER console_audit_no_truncate BEFORE TRUNCATE ON console_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION console_audit_append_only();
"""
PG_DROP = "DROP TRIGGER IF EXISTS console_audit_no_truncate ON console_auditentry;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute(PG_CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("console", "0003_staff_set_up")]
    operations = [migrations.RunPython(forwards, backwards)]
