"""SMS through Twilio, with the official library.

The library has no base-URL setting, so a small HTTP client rewrites Twilio's hosts to
TWILIO_API_BASE_URL (the project's fake Twilio in tests, the demo and benchmarks).
"""

import functools
from urllib.parse import urlsplit

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from notifications.channels.base import DeliveryError, Message

# Twilio error codes that no retry can fix, and what they say about the number.
OPTED_OUT = {"21610"}
INVALID = {"21211", "21614", "21612", "21408"}
TIMEOUT_SECONDS = 10


class BaseUrlHttpClient(TwilioHttpClient):
    def __init__(self, base_url: str) -> None:
        super().__init__(pool_connections=True, timeout=TIMEOUT_SECONDS)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        if parts.hostname and parts.hostname.endswith("twilio.com"):
            url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().request(method, url, *args, **kwargs)


def classify(e: Exception) -> DeliveryError:
    """What a failed create means for us. Pure, so it is tested on its own."""
    if isinstance(e, TwilioRestException):
        code = str(e.code or "")
        if e.status == 429 or e.status >= 500:
            return DeliveryError(f"Twilio answered {e.status}", permanent=False, code=code or str(e.status))
        if code in OPTED_OUT:
            return DeliveryError(
                "the recipient has opted out with Twilio", permanent=True, code=code, effect="opted_out"
            )
        if code in INVALID:
            return DeliveryError("the number cannot receive texts", permanent=True, code=code, effect="invalid")
        # Twilio's own message can quote the number: keep only the code.
        return DeliveryError(f"Twilio refused the message ({e.status})", permanent=True, code=code)
    if isinstance(e, requests.Timeout):
        return DeliveryError("Twilio did not answer in time", permanent=False, code="timeout")
    return DeliveryError(f"could not reach Twilio ({type(e).__name__})", permanent=False, code="network")


@functools.lru_cache(maxsize=2)
def _client(account_sid: str, auth_token: str, base_url: str) -> Client:
    return Client(account_sid, auth_token, http_client=BaseUrlHttpClient(base_url))


class TwilioSms:
    def __init__(self) -> None:
        self.client = _client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_API_BASE_URL)

    def send(self, message: Message) -> str:
        sender = (
            {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
            if settings.TWILIO_MESSAGING_SERVICE_SID
            else {"from_": settings.TWILIO_FROM}
        )
        try:
            created = self.client.messages.create(
                to=message.to,
                body=message.body,
                status_callback=settings.SITE_URL + "/webhooks/twilio/status",
                **sender,
            )
        except (TwilioException, requests.RequestException) as e:
            raise classify(e) from None
        return created.sid

    def find_sent(self, message: Message, since) -> str | None:
        """The id of a message with this text that Twilio accepted for this number since ``since``,
        if any: asked before sending again something a dead worker may already have sent."""
        try:
            recent = self.client.messages.list(to=message.to, limit=20)
        except (TwilioException, requests.RequestException) as e:
            raise classify(e) from None
        since = since.replace(microsecond=0)  # Twilio's dates are to the second
        for m in recent:
            if m.body == message.body and m.date_created and m.date_created >= since:
                return m.sid
        return None
