"""Two PostgreSQL roles: one owns the tables and runs migrations, the other is what the application
connects as, and may only read and append to the audit trail.

A table's owner can always ``ALTER TABLE … DISABLE TRIGGER`` and then rewrite it, so the triggers
that keep the audit trail append-only hold only against a role that does not own it. In
production ``MIGRATION_DATABASE_URL`` names the owner (``manage.py migrate --database owner``);
after every migration through it, the role in ``DATABASE_URL`` is granted what the application
needs, and on the audit trail only SELECT and INSERT. See docs/security.md.
"""

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

APPEND_ONLY = ("console_auditentry",)


def grants(role: str, append_only: tuple[str, ...] = APPEND_ONLY) -> list[str]:
    """The statements that give ``role`` the application's privileges in the public schema."""
    quoted = '"' + role.replace('"', '""') + '"'
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {quoted}",
    ]
    for table in append_only:
        statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {quoted}")
    return statements


def grant_to_app(owner: BaseDatabaseWrapper, role: str) -> None:
    with owner.cursor() as cursor:
        for sql in grants(role):
            cursor.execute(sql)


def after_migrate(using: str, **_) -> None:
    """post_migrate: when migrations ran as the owner, keep the application's role in step."""
    if using == "default" or "default" not in connections.databases:
        return
    owner, app = connections[using], connections["default"]
    if owner.vendor != "postgresql":
        return
    role = app.settings_dict.get("USER")
    if role and role != owner.settings_dict.get("USER"):
        grant_to_app(owner, role)
