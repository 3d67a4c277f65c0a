"""Patients who asked to be told: one row per address, encrypted, found by a keyed hash."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import personal
from statuspage.models import Nation, Pharmacy


class Subscriber(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        EMAIL = "email", _("Email")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        OPTED_OUT = "opted_out", _("Stopped")
        INVALID = "invalid", _("Address cannot receive messages")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    address_encrypted = models.BinaryField()
    address_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    language = models.CharField(max_length=5, default="en")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    # Double opt-in by text: the code itself is never stored, only its keyed hash.
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_tries = models.PositiveSmallIntegerField(default=0)
    # Every link we have sent (manage, unsubscribe) carries this number; raising it makes them all
    # stop working at once (notifications/links.py).
    link_generation = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "address_hash"], name="one_subscriber_per_address")]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        # Never the address: this string ends up in logs and the admin.
        return f"{self.get_channel_display()} subscriber {self.pk} ({self.state})"

    @property
    def address(self) -> str:
        return personal.decrypt(self.address_encrypted)

    @property
    def masked_address(self) -> str:
        """Enough for its owner to recognise, too little for anybody else to use."""
        return personal.mask(self.channel, self.address)

    @address.setter
    def address(self, value: str) -> None:
        self.address_encrypted = personal.encrypt(value)
        self.address_hash = personal.lookup_hash(self.channel, value)


class Subscription(models.Model):
    """What a subscriber follows: one pharmacy (through the system it uses), a nation, or everything."""

    class Scope(models.TextChoices):
        PHARMACY = "pharmacy", "My pharmacy"
        NATION = "nation", "A nation"
        ALL = "all", "Everything"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    scope = models.CharField(max_length=8, choices=Scope.choices)
    pharmacy = models.ForeignKey(Pharmacy, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    nation = models.CharField(max_length=20, choices=Nation.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the owner of the address confirms: nobody can add follows to someone else's number.
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "pharmacy"], condition=models.Q(scope="pharmacy"), name="follow_a_pharmacy_once"
            ),
            models.UniqueConstraint(
                fields=["subscriber", "nation"], condition=models.Q(scope="nation"), name="follow_a_nation_once"
            ),
            models.UniqueConstraint(fields=["subscriber"], condition=models.Q(scope="all"), name="follow_all_once"),
            models.CheckConstraint(
                condition=(
                    models.Q(scope="pharmacy", pharmacy__isnull=False, nation="")
                    | models.Q(scope="nation", pharmacy__isnull=True) & ~models.Q(nation="")
                    | models.Q(scope="all", pharmacy__isnull=True, nation="")
                ),
                name="follow_names_what_it_follows",
            ),
        ]
        indexes = [models.Index(fields=["scope", "nation"])]

    def __str__(self) -> str:
        if self.scope == self.Scope.PHARMACY:
            return f"pharmacy {self.pharmacy_id}"
        return self.nation or "everything"
