from django.apps import AppConfig


class DetectionConfig(AppConfig):
    name = "detection"
    verbose_name = "Detection"

    def ready(self) -> None:
        # Imported here, not at the top: receivers connect once the app registry is ready.
        from detection import listeners  # noqa: F401, PLC0415
