from django.apps import AppConfig


class StatusPageConfig(AppConfig):
    name = "statuspage"
    verbose_name = "Status page"

    def ready(self) -> None:
        from statuspage import signals  # noqa: F401  (connects cache invalidation)
