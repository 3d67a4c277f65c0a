"""SMS through Twilio, with the official library's asynchronous client.

Twilio takes about 150 ms to accept a text, so one call at a time is a few texts a second.
The library's async client lets one process keep SMS_IN_FLIGHT creates under way at once on
the process's event loop (common.loop). Its transport is ours (common.outbound): a total
deadline per call rather than a per-read timeout, a 64 KB cap on the answer, a connection
pool as large as the number in flight (aiohttp's default of 100 would cap us at ~650/s), and
Twilio's hosts rewritten to TWILIO_API_BASE_URL (the project's fake in tests, demo, benchmarks).
"""

import base64
import functools
import logging
import time
from concurrent.futures import Future
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from common import loop, outbound, request_ids
from notifications.channels.base import Channel, DeliveryError, Message

log = logging.getLogger(__name__)

# Twilio error codes that no retry can fix, and what they say about the number.
OPTED_OUT = {"21610"}
INVALID = {"21211", "21614", "21612", "21408"}


class OutboundHttpClient(AsyncHttpClient):
    """The twilio library's async HTTP client interface, over common.outbound."""

    def __init__(self, base_url: str, in_flight: int, deadline: float) -> None:
        super().__init__(logger=logging.getLogger("twilio.http_client"), is_async=True, timeout=None)
        self.base_url = base_url.rstrip("/")
        self.in_flight = in_flight
        self.deadline = deadline

    async def request(
        self, method, url, params=None, data=None, headers=None, auth=None, timeout=None, allow_redirects=False
    ) -> Response:
        parts = urlsplit(url)
        if parts.hostname and parts.hostname.endswith("twilio.com"):
            url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        started = time.monotonic()
        answer = await outbound.request(
            outbound.pool("twilio", self.in_flight),
            method,
            url,
            deadline=self.deadline,
            params=params,
            data=data,
            # The request id goes along, for anyone tracing a call between us and the provider.
            headers={**(headers or {}), **_basic(auth), **_request_id()},
        )
        # The path only: the query and the form hold the number and the text.
        log.debug("twilio %s %s answered %s in %.3f s", method, parts.path, answer.status, time.monotonic() - started)
        if answer.truncated:
            raise outbound.Unreachable("answered more than 64 KB")
        return Response(answer.status, answer.text(), answer.headers)


def _request_id() -> dict[str, str]:
    found = request_ids.current.get()
    return {"X-Request-Id": found} if found else {}


def _basic(auth: tuple[str, str] | None) -> dict[str, str]:
    if not auth:
        return {}
    return {"Authorization": "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()}


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
    if isinstance(e, outbound.Unreachable) and e.timed_out:
        return DeliveryError("Twilio did not answer in time", permanent=False, code="timeout")
    return DeliveryError(f"could not reach Twilio ({type(e).__name__})", permanent=False, code="network")


@functools.lru_cache(maxsize=4)
def _client(account_sid: str, auth_token: str, base_url: str, in_flight: int, deadline: float, pid: int) -> Client:
    # Keyed by process id too: a client's connection pool belongs to the loop of the process that made it.
    return Client(account_sid, auth_token, http_client=OutboundHttpClient(base_url, in_flight, deadline))


def client() -> Client:
    return _client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        settings.TWILIO_API_BASE_URL,
        settings.SMS_IN_FLIGHT,
        settings.SMS_DEADLINE_SECONDS,
        loop.process_id(),
    )


class TwilioSms(Channel):
    def __init__(self) -> None:
        self.client = client()
        self.in_flight = settings.SMS_IN_FLIGHT
        self.sender = (
            {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
            if settings.TWILIO_MESSAGING_SERVICE_SID
            else {"from_": settings.TWILIO_FROM}
        )
        self.status_callback = settings.SITE_URL + "/webhooks/twilio/status"

    def send(self, message: Message, unconfirmed_since: datetime | None = None) -> str:
        return self.submit(message, unconfirmed_since).result()

    def submit(self, message: Message, unconfirmed_since: datetime | None = None) -> "Future[str]":
        return loop.submit(self._send(message, unconfirmed_since))

    async def _send(self, message: Message, unconfirmed_since: datetime | None) -> str:
        try:
            if unconfirmed_since is not None and (sid := await self._find_sent(message, unconfirmed_since)):
                return sid
            created = await self.client.messages.create_async(
                to=message.to, body=message.body, status_callback=self.status_callback, **self.sender
            )
        except (TwilioException, outbound.Unreachable, ValueError) as e:
            raise classify(e) from None
        return created.sid

    async def _find_sent(self, message: Message, since: datetime) -> str | None:
        """The id of a message with this text that Twilio accepted for this number since ``since``,
        if any: asked before sending again something a dead worker may already have sent."""
        recent = await self.client.messages.list_async(to=message.to, limit=20)
        since = since.replace(microsecond=0)  # Twilio's dates are to the second
        for m in recent:
            if m.body == message.body and m.date_created and m.date_created >= since:
                return m.sid
        return None
