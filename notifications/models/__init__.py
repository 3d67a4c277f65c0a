from notifications.models.deliveries import Delivery, Notice
from notifications.models.outbox import OutboxMessage
from notifications.models.subscribers import Subscriber, Subscription

__all__ = ["Delivery", "Notice", "OutboxMessage", "Subscriber", "Subscription"]
