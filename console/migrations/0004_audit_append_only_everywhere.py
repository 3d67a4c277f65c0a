"""The audit trail is append-only on SQLite too: triggers abort any UPDATE or DELETE of a row,
whichever manager or query asks (PostgreSQL has refused them since 0002).

On PostgreSQL, TRUNCATE (which row triggers never see) and disabling the triggers are refused to the
application by privileges, not by a trigger: the application's role does not own the table and
holds only SELECT and INSERT on it (console/db_roles.py). The owner can always undo a trigger, so a
trigger would guard nothing more, and would stop the test runner emptying tables between tests.
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


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("console", "0003_staff_set_up")]
    operations = [migrations.RunPython(forwards, backwards)]
