"""What detection does when the domain changes under it."""

from django.db.models.signals import post_save

from detection.tokens import forget_everywhere
from statuspage.models import Broker


def _broker_edited(sender, **kwargs) -> None:
    # Each process holds its tokens with their broker's thresholds and heartbeat: an edit must reach them.
    # (Probes update brokers with queryset.update(), which sends no signal and costs nothing here.)
    forget_everywhere()


post_save.connect(_broker_edited, sender=Broker, dispatch_uid="broker-edited-tokens")
