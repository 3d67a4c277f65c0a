from django.db import models

from statuspage.models.components import Component
from statuspage.status import ComponentStatus


class StatusChange(models.Model):
    """One change of a component's status: when, to what, and why. Uptime is computed from these."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="status_changes")
    at = models.DateTimeField()
    previous_status = models.CharField(max_length=24, choices=ComponentStatus.choices, blank=True)
    status = models.CharField(max_length=24, choices=ComponentStatus.choices)
    cause = models.CharField(max_length=300)
    incident = models.ForeignKey(
        "statuspage.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="status_changes"
    )

    class Meta:
        ordering = ["component", "at", "id"]
        indexes = [models.Index(fields=["component", "at"])]

    def __str__(self) -> str:
        return f"{self.component} → {self.status} at {self.at:%Y-%m-%d %H:%M}"
