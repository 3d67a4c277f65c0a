"""The fake Twilio's state: accounts, messages, behaviour, and the signed status callbacks it posts."""

import functools
import queue
import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate

import requests
from twilio.request_validator import RequestValidator

from notifications.segments import count as segments

API = "/2010-04-01/Accounts/"
ERRORS = {
    "20003": (401, "Authenticate"),
    "20429": (429, "Too Many Requests"),
    "20500": (500, "Internal Server Error"),
    "21211": (400, "The 'To' number is not a valid phone number."),
    "21602": (400, "Message body is required."),
    "21604": (400, "A 'To' phone number is required."),
    "21606": (400, "The 'From' phone number provided is not a valid message-capable Twilio phone number."),
    "21610": (400, "Attempt to send to unsubscribed recipient"),
    "21614": (400, "'To' number is not a valid mobile number"),
}


@dataclass
class Behaviour:
    fail: str | None = None
    share: float = 1.0
    opted_out: set[str] = field(default_factory=set)
    not_mobile: set[str] = field(default_factory=set)
    callbacks: list[str] = field(default_factory=lambda: ["sent", "delivered"])
    duplicate_callbacks: bool = False
    hang_seconds: float = 30.0
    keep: bool = True  # False: count messages without keeping them (a million would not fit)
    latency_ms: float = 0.0
    jitter_ms: float = 0.0


class FakeTwilio:
    """The state behind the server: accounts, messages, behaviour, callbacks to post."""

    def __init__(self, account_sid: str, auth_token: str, latency_ms: float = 0, jitter_ms: float = 0) -> None:
        self.latency = {"latency_ms": latency_ms, "jitter_ms": jitter_ms}
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.validator = RequestValidator(auth_token)
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.forms: list[dict] = []  # every create as received, for contract tests
        self.behaviour = Behaviour(**self.latency)
        self.callbacks: queue.Queue = queue.Queue()
        self.callback_results: list[tuple[str, int]] = []
        self.stats = {"accepted": 0, "refused": 0, "first_at": None, "last_at": None}
        self.calls_per_second: dict[int, int] = {}  # every create, refused or not: the rate a client used
        # Callbacks to an https site are verified as Twilio verifies them, against the public CAs; or
        # against this CA file instead (a site on this machine with a certificate of its own).
        self.callback_ca: str | None = None

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.forms.clear()
            self.stats.update(accepted=0, refused=0, first_at=None, last_at=None)
            self.calls_per_second.clear()
            self.behaviour = Behaviour(**self.latency)
            self.callback_results.clear()

    def configure(self, settings: dict) -> None:
        with self.lock:
            b = self.behaviour
            plain = ("fail", "share", "callbacks", "duplicate_callbacks", "hang_seconds", "keep", "latency_ms")
            for name in (*plain, "jitter_ms"):
                if name in settings:
                    setattr(b, name, settings[name])
            for name in ("opted_out", "not_mobile"):
                if name in settings:
                    setattr(b, name, set(settings[name]))

    def hangs(self) -> bool:
        b = self.behaviour
        return b.fail == "hang" and random.random() < b.share

    def create(self, form: dict[str, str]) -> tuple[int, dict]:
        return self.count(self._create(form))

    def arrived(self) -> None:
        """A create reached us: counted in the second it arrived, as Twilio counts a rate, not the
        second its answer leaves after the latency."""
        second = int(time.time())
        with self.lock:
            self.calls_per_second[second] = self.calls_per_second.get(second, 0) + 1

    def count(self, result: tuple[int, dict]) -> tuple[int, dict]:
        status = result[0]
        now = time.time()
        with self.lock:
            if status == 201:
                self.stats["accepted"] += 1
                self.stats["first_at"] = self.stats["first_at"] or now
                self.stats["last_at"] = now
            else:
                self.stats["refused"] += 1
        return result

    def _create(self, form: dict[str, str]) -> tuple[int, dict]:
        b = self.behaviour
        if b.keep:
            with self.lock:
                self.forms.append(dict(form))
        if b.fail in ("429", "500") and random.random() < b.share:
            return error("20429" if b.fail == "429" else "20500")
        to = form.get("To", "")
        if not to:
            return error("21604")
        if not to.startswith("+") or not to[1:].isdigit() or not 8 <= len(to) <= 16:
            return error("21211")
        if not form.get("Body"):
            return error("21602")
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return error("21606")
        if to in b.opted_out or (b.fail == "21610" and random.random() < b.share):
            return error("21610")
        if to in b.not_mobile:
            return error("21614")
        sid = "SM" + secrets.token_hex(16)
        now = _http_date(int(time.time()))
        message = {
            "sid": sid,
            "account_sid": self.account_sid,
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "from": form.get("From"),
            "to": to,
            "body": form["Body"],
            "status": "accepted" if form.get("MessagingServiceSid") else "queued",
            "direction": "outbound-api",
            "num_segments": _segments(form["Body"]),
            "num_media": "0",
            "price": None,
            "price_unit": "GBP",
            "error_code": None,
            "error_message": None,
            "api_version": "2010-04-01",
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "uri": f"{API}{self.account_sid}/Messages/{sid}.json",
            "subresource_uris": {"media": f"{API}{self.account_sid}/Messages/{sid}/Media.json"},
            "status_callback": form.get("StatusCallback"),
        }
        if b.keep:
            with self.lock:
                self.messages.append(message)
        if form.get("StatusCallback"):
            statuses = list(b.callbacks)
            if b.duplicate_callbacks:
                statuses = statuses + statuses[::-1]
            for status in statuses:
                self.callbacks.put((form["StatusCallback"], sid, to, status))
        return 201, {k: v for k, v in message.items() if k != "status_callback"}

    def post_callbacks_forever(self) -> None:
        session = requests.Session()  # one per thread
        session.trust_env = False  # callbacks go to our own site, never through a proxy
        while True:
            url, sid, to, status = self.callbacks.get()
            params = {
                "AccountSid": self.account_sid,
                "MessageSid": sid,
                "SmsSid": sid,
                "MessageStatus": status,
                "SmsStatus": status,
                "To": to,
                "From": "",
                "ApiVersion": "2010-04-01",
            }
            if status in ("failed", "undelivered"):
                params["ErrorCode"] = "30003"
            signature = self.validator.compute_signature(url, params)
            try:
                code = session.post(
                    url,
                    data=params,
                    headers={"X-Twilio-Signature": signature},
                    timeout=15,
                    verify=self.callback_ca or True,
                ).status_code
            except requests.RequestException:
                code = 0
            with self.lock:
                self.callback_results.append((sid, code))


# Both the same for every create in a second, or of the same text: worked out once, not thousands of times.
@functools.lru_cache(maxsize=2)
def _http_date(second: int) -> str:
    return formatdate(second, usegmt=True)


@functools.lru_cache(maxsize=64)
def _segments(body: str) -> str:
    return str(segments(body).count)


def error(code: str) -> tuple[int, dict]:
    status, message = ERRORS[code]
    return status, {
        "code": int(code),
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
