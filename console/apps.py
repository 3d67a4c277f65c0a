from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ConsoleConfig(AppConfig):
    name = "console"
    verbose_name = "NHS ops console"

    def ready(self) -> None:
        # Imported here, not at the top: they read models and connections, ready only now.
        from console import db_roles, listeners  # noqa: PLC0415
        from statuspage import events  # noqa: PLC0415

        post_migrate.connect(db_roles.after_migrate, sender=self, dispatch_uid="console.db_roles")
        events.update_published.connect(
            listeners.audit_automatic_publication, dispatch_uid="console.audit_automatic_publication"
        )
