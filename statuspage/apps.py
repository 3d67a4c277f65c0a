from django.apps import AppConfig


class StatusPageConfig(AppConfig):
    name = "statuspage"
    verbose_name = "Status page"

    def ready(self) -> None:
        # Imported here, not at the top: receivers connect once the app registry is ready.
        from statuspage import signals  # noqa: F401, PLC0415  (connects cache invalidation)
