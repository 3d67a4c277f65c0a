"""The one interface every notification channel implements."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Message:
    to: str
    body: str
    subject: str = ""
    html: str = ""
    unsubscribe_url: str = ""


class DeliveryError(Exception):
    """Sending failed. ``permanent`` says whether trying again could ever help; ``effect`` what a
    permanent failure says about the address: "opted_out" (the person said STOP to the provider)
    or "invalid" (it can never receive). The message never contains the address."""

    def __init__(self, message: str, permanent: bool, code: str = "", effect: str = "") -> None:
        super().__init__(message)
        self.permanent = permanent
        self.code = code
        self.effect = effect


class Channel(Protocol):
    def send(self, message: Message) -> str:
        """Send the message; return the provider's id for it, or raise DeliveryError."""
        ...
