from django.db import models

from statuspage.models.components import Component
from statuspage.models.nations import Nation


class Supplier(models.Model):
    """A clinical system: a pharmacy patient-medication-record system or a GP system."""

    class Kind(models.TextChoices):
        PHARMACY = "pharmacy", "Pharmacy system"
        GP = "gp", "GP system"

    class Topology(models.TextChoices):
        CENTRAL = "central", "One central broker per nation"
        PER_SITE = "per_site", "One broker at each pharmacy"

    name = models.CharField(max_length=120, unique=True, help_text="The system's name, e.g. Pharmacy Manager.")
    vendor = models.CharField(max_length=120, help_text="The company, e.g. Cegedim.")
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    topology = models.CharField(max_length=10, choices=Topology.choices, default=Topology.CENTRAL)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.vendor} {self.name}"


class Broker(models.Model):
    """A supplier's message broker in one nation: a component with a scope.

    Central suppliers have one broker per nation (site is empty); per-site suppliers
    have one at each pharmacy (site is set).
    """

    component = models.OneToOneField(Component, on_delete=models.CASCADE, primary_key=True, related_name="broker")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="brokers")
    nation = models.CharField(max_length=20, choices=Nation.choices)
    site = models.OneToOneField(
        "statuspage.Pharmacy", null=True, blank=True, on_delete=models.CASCADE, related_name="site_broker"
    )

    # Monitoring: how often it reports, where to fetch its health if it does not push,
    # and any thresholds that differ from detection.health.Thresholds.
    heartbeat_seconds = models.PositiveIntegerField(default=30)
    pull_url = models.URLField(blank=True, help_text="Health endpoint to fetch, for brokers that do not push.")
    thresholds = models.JSONField(default=dict, blank=True)
    probes_per_minute = models.PositiveIntegerField(default=60, help_text="Pushes allowed per minute.")

    # Derived state, kept so each probe is judged against the ones before it.
    last_probe_at = models.DateTimeField(null=True, blank=True)
    # When it counts as silent if nothing more arrives: lets the 15-second sweep find the
    # few quiet brokers by index instead of reading all of them.
    silent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    pending_status = models.CharField(max_length=24, blank=True)
    pending_count = models.PositiveIntegerField(default=0)
    # Pushes counted in the current minute (minutes since the epoch), kept on the row every
    # probe already updates: the limit holds across web nodes at no extra round trip.
    rate_window = models.PositiveBigIntegerField(default=0)
    rate_count = models.PositiveIntegerField(default=0)
    next_pull_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "nation"],
                condition=models.Q(site__isnull=True),
                name="one_central_broker_per_supplier_and_nation",
            )
        ]

    # What probes, silence and pulls maintain with targeted UPDATEs while the row is in use.
    LIVE_FIELDS = frozenset(
        {"last_probe_at", "silent_at", "pending_status", "pending_count", "rate_window", "rate_count", "next_pull_at"}
    )

    def __str__(self) -> str:
        return self.component.name

    def save(self, *args, **kwargs) -> None:
        # Editing a broker (its thresholds, rate, heartbeat) from an object read a while ago
        # must not put back the probe state it read then: a full save leaves that state alone.
        if kwargs.get("update_fields") is None and not self._state.adding:
            kwargs["update_fields"] = [
                f.attname for f in self._meta.concrete_fields if not f.primary_key and f.attname not in self.LIVE_FIELDS
            ]
        super().save(*args, **kwargs)
