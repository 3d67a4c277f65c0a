"""On PostgreSQL the database itself refuses to change or remove audit rows, so not even a
bug or a hand-written query in our code can rewrite history."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION console_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'console_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER console_audit_append_only BEFORE UPDATE OR DELETE ON console_auditentry
    FOR EACH ROW EXECUTE FUNCTION console_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS console_audit_append_only ON console_auditentry;
DROP FUNCTION IF EXISTS console_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("console", "0001_staff_audit_tokens_notes")]
    operations = [migrations.RunPython(forwards, backwards)]
