from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Webhooks for integrators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: receivers connect once the app registry is ready.
        from integrations import listeners  # noqa: F401, PLC0415
