"""Webhook subscriptions and their deliveries.

The secret and the contact's email are encrypted at rest like every other address we hold.
"""

from django.conf import settings
from django.db import models

from common import personal


class Endpoint(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting for the owner to confirm"
        ACTIVE = "active", "Active"
        DISABLED = "disabled", "Disabled"

    url = models.URLField(max_length=500)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # Empty: every component. Otherwise only these (and incidents that touch them).
    components = models.ManyToManyField("statuspage.Component", blank=True, related_name="+")
    secret_encrypted = models.BinaryField()
    contact_encrypted = models.BinaryField()
    contact_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # The first failure since the last success: sustained failure disables the endpoint.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    # In every manage and unsubscribe link; raising it makes all of them stop working at once.
    link_generation = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url

    @property
    def secret(self) -> str:
        return personal.decrypt(self.secret_encrypted)

    @property
    def contact(self) -> str:
        return personal.decrypt(self.contact_encrypted)


class Delivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Gave up"
        CANCELLED = "cancelled", "Cancelled (endpoint disabled)"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=40)
    event = models.CharField(max_length=20)  # component_update | incident
    # The payload as it will be sent, fixed when the event happened.
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="one_delivery_per_event")]
        indexes = [models.Index(fields=["next_attempt_at"], name="webhook_due", condition=models.Q(state="pending"))]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id} to {self.endpoint_id}"
