"""What we send: a notice per published update (the outbox), and a delivery per subscriber."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from notifications.models.subscribers import Subscriber
from statuspage.models import Component, Incident, IncidentUpdate


class Notice(models.Model):
    """The outbox row: written in the same transaction as the incident update it announces,
    so a publish is never lost between the database and the task queue."""

    class Kind(models.TextChoices):
        ALERT = "alert", "Problem declared"
        RESOLUTION = "resolution", "Problem fixed"
        MAINTENANCE = "maintenance", "Maintenance started"
        PLANNED = "planned", "Maintenance planned"
        UPDATE = "update", "Update"

    class State(models.TextChoices):
        HELD = "held", "Waiting for a second publisher"
        PENDING = "pending", "Waiting to be planned"
        PLANNING = "planning", "Planning"
        SENDING = "sending", "Sending"
        PAUSED = "paused", "Paused"
        CANCELLED = "cancelled", "Cancelled"
        DONE = "done", "Done"

    update = models.OneToOneField(IncidentUpdate, on_delete=models.CASCADE, related_name="notice")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notices")
    components = models.ManyToManyField(Component, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    # The words, fixed when published: a later edit of the incident does not change a text in flight.
    sms_body = models.TextField()
    email_subject = models.CharField(max_length=200)
    email_body = models.TextField()
    # The same in Welsh, for subscribers who signed up in Welsh.
    sms_body_cy = models.TextField(blank=True)
    email_subject_cy = models.CharField(max_length=200, blank=True)
    email_body_cy = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    # When a batch last finished a step: the sweeper's sign that this notice's tasks are alive.
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The two-person rule: who sent it from the console, how many it reaches, who approved it.
    recipients = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.incident}"


class Delivery(models.Model):
    """One message to one subscriber. Its state only moves forward (see delivery.FORWARD)."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Sending"
        SENT = "sent", "Handed to the provider"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        SUPERSEDED = "superseded", "Replaced by a newer message"

    # No index of its own: the unique (notice, subscriber, channel) index starts with it.
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=8, choices=Subscriber.Channel.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(max_length=16, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One message per update (a notice is one update), subscriber and channel, however
            # often the fan-out runs.
            models.UniqueConstraint(fields=["notice", "subscriber", "channel"], name="one_delivery_per_update"),
        ]
        indexes = [
            models.Index(fields=["notice", "state", "id"]),
            # Only the few deliveries in flight, for the sweeper: not a million-row index.
            models.Index(fields=["lease_until"], condition=models.Q(state="sending"), name="delivery_in_flight"),
            models.Index(fields=["provider_id"], condition=~models.Q(provider_id=""), name="delivery_by_provider_id"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.state})"
