from django.conf import settings
from django.db import models
from django.urls import reverse

from statuspage.models.components import Component
from statuspage.models.ids import new_code
from statuspage.status import (
    FINISHED_INCIDENT,
    FINISHED_MAINTENANCE,
    ComponentStatus,
    Impact,
    IncidentStatus,
    MaintenanceStatus,
)


class IncidentQuerySet(models.QuerySet):
    def incidents(self):
        return self.filter(kind=Incident.Kind.INCIDENT)

    def maintenances(self):
        return self.filter(kind=Incident.Kind.MAINTENANCE)

    def unresolved(self):
        return self.incidents().exclude(status__in=FINISHED_INCIDENT)

    def upcoming(self):
        return self.maintenances().filter(status=MaintenanceStatus.SCHEDULED)

    def active_maintenance(self):
        return self.maintenances().filter(status__in=[MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING])


class Incident(models.Model):
    """An incident or a scheduled maintenance: Statuspage keeps both in one shape."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", "Incident"
        MAINTENANCE = "maintenance", "Scheduled maintenance"

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INCIDENT)
    name = models.CharField(max_length=200)
    # The same in Welsh, for readers who chose Welsh; blank shows the English.
    name_cy = models.CharField("name in Welsh", max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=IncidentStatus.choices + MaintenanceStatus.choices)
    impact = models.CharField(max_length=12, choices=Impact.choices, default=Impact.NONE)
    components = models.ManyToManyField(Component, blank=True, related_name="incidents")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    started_at = models.DateTimeField()
    monitoring_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    scheduled_until = models.DateTimeField(null=True, blank=True)
    # Business continuity for GP practices and pharmacies (print paper prescriptions, emergency
    # supply): public, but written for professionals and shown apart from the patient notice.
    professional_guidance = models.TextField(blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_finished(self) -> bool:
        return self.status in (FINISHED_MAINTENANCE if self.kind == self.Kind.MAINTENANCE else FINISHED_INCIDENT)

    @property
    def shortlink(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    def get_absolute_url(self) -> str:
        return reverse("incident", args=[self.code])

    def get_console_url(self) -> str:
        return reverse("console:incident", args=[self.code])


class IncidentUpdate(models.Model):
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=16, choices=IncidentStatus.choices + MaintenanceStatus.choices)
    body = models.TextField()
    body_cy = models.TextField("body in Welsh", blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    display_at = models.DateTimeField()

    class Meta:
        ordering = ["-display_at", "-id"]

    def __str__(self) -> str:
        return f"{self.incident}: {self.status}"


class AffectedComponent(models.Model):
    """A component's status before and after an incident update."""

    update = models.ForeignKey(IncidentUpdate, on_delete=models.CASCADE, related_name="affected_components")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    old_status = models.CharField(max_length=24, choices=ComponentStatus.choices)
    new_status = models.CharField(max_length=24, choices=ComponentStatus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["update", "component"], name="one_entry_per_component_per_update")
        ]

    def __str__(self) -> str:
        return f"{self.component}: {self.old_status} → {self.new_status}"
