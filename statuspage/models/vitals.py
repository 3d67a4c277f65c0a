from django.db import models


class Vital(models.Model):
    """A moment in our own life that others judge us by: the silence sweep's last run, the time every
    broker fell quiet at once, each worker pool's last heartbeat. One row per name."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.at}"
