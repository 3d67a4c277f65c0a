"""The one interface every notification channel implements."""

from typing import Protocol


class DeliveryError(Exception):
    """Sending failed. ``permanent`` says whether trying again could ever help."""

    def __init__(self, message: str, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class Channel(Protocol):
    def send(self, to: str, body: str) -> str:
        """Send ``body`` to ``to``; return the provider's message id or raise DeliveryError."""
        ...
