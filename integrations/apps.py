from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Webhooks for integrators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from integrations import signals  # noqa: F401
