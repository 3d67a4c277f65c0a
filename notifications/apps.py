from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        # Imported here, not at the top: receivers connect once the app registry is ready.
        from notifications import listeners  # noqa: F401, PLC0415
