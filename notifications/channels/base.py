"""The one interface every notification channel implements."""

from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime


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


class Channel:
    """A channel implements ``send``. One whose provider is slow but can take many messages at once
    also overrides ``submit``, so a sender keeps up to ``in_flight`` of them under way."""

    # How many sends one process may have under way at once on this channel.
    in_flight = 1

    def send(self, message: Message, unconfirmed_since: datetime | None = None) -> str:
        """Send the message; return the provider's id for it, or raise DeliveryError.

        ``unconfirmed_since``: an earlier attempt may have reached the provider without our
        hearing back; a channel that can ask the provider returns that attempt's id instead of
        sending again."""
        raise NotImplementedError

    def submit(self, message: Message, unconfirmed_since: datetime | None = None) -> "Future[str]":
        """Start sending; the Future gives what ``send`` would return or raise."""
        future: Future[str] = Future()
        try:
            future.set_result(self.send(message, unconfirmed_since))
        except DeliveryError as e:
            future.set_exception(e)
        return future
