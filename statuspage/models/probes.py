from datetime import timedelta

from django.conf import settings
from django.db import models

from statuspage.models.suppliers import Broker


class BrokerToken(models.Model):
    """A bearer token for one broker. Only its SHA-256 is kept: the token is shown once."""

    broker = models.ForeignKey(Broker, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell tokens apart.")
    label = models.CharField(max_length=40, blank=True, help_text="Who holds it, e.g. 'simulator'.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.broker}"


class Probe(models.Model):
    """One health report from a broker, pushed or pulled, with what we read from it."""

    class Source(models.TextChoices):
        PUSH = "push", "Pushed"
        PULL = "pull", "Pulled"

    broker = models.ForeignKey(Broker, on_delete=models.CASCADE, related_name="probes")
    # Which token sent it (pushes only): tokens' last-used times are derived from this.
    token = models.ForeignKey(BrokerToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=4, choices=Source.choices)
    received_at = models.DateTimeField(db_index=True)
    observed_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    # What the supplier's own health document calls its service (the IETF draft's serviceId), as sent.
    service_id = models.CharField(max_length=200, blank=True, default="", db_default="")
    # The document's own overall status (pass, warn, fail), and our verdict from its readings.
    reported = models.CharField(max_length=4)
    verdict = models.CharField(max_length=24)
    reason = models.CharField(max_length=300)
    spine_connected = models.BooleanField(null=True)
    queue_depth = models.PositiveIntegerField(null=True)
    oldest_message_age = models.FloatField(null=True, help_text="Seconds.")
    latency_ms = models.FloatField(null=True)
    error_rate = models.FloatField(null=True)
    throughput = models.FloatField(null=True, help_text="Messages per minute.")
    document = models.JSONField(default=dict)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["broker", "-received_at"])]
        constraints = [
            models.UniqueConstraint(fields=["broker", "idempotency_key"], name="one_probe_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.broker} at {self.received_at:%H:%M:%S}: {self.verdict}"


class ProbeRollup(models.Model):
    """Probes summed per minute or hour: kept 400 days after the raw probes are gone."""

    class Period(models.TextChoices):
        MINUTE = "minute", "Minute"
        HOUR = "hour", "Hour"

    broker = models.ForeignKey(Broker, on_delete=models.CASCADE, related_name="rollups")
    period = models.CharField(max_length=6, choices=Period.choices)
    start = models.DateTimeField()
    probes = models.PositiveIntegerField()
    failed = models.PositiveIntegerField(help_text="Probes whose verdict was not operational.")
    max_queue_depth = models.PositiveIntegerField(null=True)
    max_oldest_message_age = models.FloatField(null=True)
    avg_latency_ms = models.FloatField(null=True)
    max_latency_ms = models.FloatField(null=True)
    avg_error_rate = models.FloatField(null=True)

    class Meta:
        ordering = ["broker", "period", "start"]
        constraints = [models.UniqueConstraint(fields=["broker", "period", "start"], name="one_rollup_per_period")]

    def __str__(self) -> str:
        return f"{self.broker} {self.period} {self.start:%Y-%m-%d %H:%M}"


class IncidentDraft(models.Model):
    """An incident being prepared: opened by the probes for NHS ops, or by ops from scratch.
    Never public until published."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting for ops"
        PUBLISHED = "published", "Published"
        DISMISSED = "dismissed", "Dismissed"

    # The broker whose probes opened it; empty for a draft ops started themselves.
    broker = models.ForeignKey(Broker, null=True, blank=True, on_delete=models.CASCADE, related_name="drafts")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField()
    name = models.CharField(max_length=200)
    impact = models.CharField(max_length=12)
    component_status = models.CharField(max_length=24, help_text="The status the probes derived.")
    body = models.TextField(help_text="The public notice: pre-filled patient wording.")
    # Welsh for readers who chose it; blank shows the English on Welsh pages.
    name_cy = models.CharField(max_length=200, blank=True)
    body_cy = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    # What ops choose in the console; a probe-opened draft starts with its broker's component.
    components = models.ManyToManyField("statuspage.Component", blank=True, related_name="+")
    incident_status = models.CharField(max_length=16, default="investigating")
    professional_guidance = models.TextField(blank=True)
    internal_notes = models.TextField(blank=True, help_text="For NHS ops only: never shown publicly.")
    # Set for planned maintenance: a draft with a schedule publishes as scheduled maintenance.
    scheduled_for = models.DateTimeField(null=True, blank=True)
    scheduled_until = models.DateTimeField(null=True, blank=True)
    notify_in_advance = models.BooleanField(default=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    incident = models.OneToOneField(
        "statuspage.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="draft"
    )
    # Set when the probes say the broker works again: ops should resolve the incident.
    recovered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["broker"], condition=models.Q(state="open"), name="one_open_draft_per_broker"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_maintenance(self) -> bool:
        return self.scheduled_for is not None

    @property
    def holding_notice_at(self):
        """When the holding notice goes out by itself, if it still will: a probe-opened draft that
        nobody has acted on and that has not recovered (detection.drafts.publish_holding_notices)."""
        if self.broker_id is None or self.recovered_at is not None or self.state != self.State.OPEN:
            return None
        return self.opened_at + timedelta(seconds=settings.HOLDING_NOTICE_AFTER_SECONDS)
