"""Is this request really from Twilio, and have we answered it already?

Signatures: the account's Auth Token with HMAC-SHA1 (Twilio's default), or a SharedKey named in
``X-Twilio-Webhooks-Signature-Settings`` with the algorithm it names (HMAC-SHA256), for accounts
that switched. Replays: Twilio retries a webhook with the same ``I-Twilio-Idempotency-Token``; the
first answer is kept for a day and given again, so a retried JOIN sends one code, not two.

The phone-line announcement is also fetched by GP practices' own Twilio accounts, which cannot sign
with ours: for them, ``manage.py voice_url`` issues a URL whose query carries our own signature
over its parameters (``key=``), good for exactly those parameters.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from twilio.request_validator import SIGNATURE_SETTINGS_HEADER, RequestValidator, get_signature_algorithm

log = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"
REPLAY_SECONDS = 24 * 3600
VOICE_SALT = "notifications.voice-url"
VOICE_PARAMETERS = ("nation", "language", "then")


def shared_key(settings_header: str) -> str:
    """The SharedKey secret named by the settings header (``key=<id>,algorithm=...``), or ""."""
    for part in settings_header.split(","):
        name, _, value = part.partition("=")
        if name.strip() == "key":
            return dict(settings.TWILIO_WEBHOOK_SHARED_KEYS).get(value.strip(), "")
    return ""


def from_twilio(request: HttpRequest) -> bool:
    url = settings.SITE_URL + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    params = request.POST if request.method == "POST" else {}
    settings_header = request.headers.get(SIGNATURE_SETTINGS_HEADER, "")
    if settings_header:
        secret, algorithm = shared_key(settings_header), get_signature_algorithm(settings_header)
    else:
        secret, algorithm = settings.TWILIO_AUTH_TOKEN, None
    return bool(secret and signature) and RequestValidator(secret).validate(url, params, signature, algorithm)


def voice_key(parameters: dict[str, str]) -> str:
    """Our signature over a phone-line URL's own parameters (in a fixed order, blanks left out)."""
    return signing.Signer(salt=VOICE_SALT).signature(_canonical(parameters))


def voice_key_valid(request: HttpRequest) -> bool:
    key = request.GET.get("key", "")
    parameters = {name: request.GET.get(name, "") for name in VOICE_PARAMETERS}
    extra = set(request.GET) - {*VOICE_PARAMETERS, "key"}
    return bool(key) and not extra and signing.constant_time_compare(key, voice_key(parameters))


def _canonical(parameters: dict[str, str]) -> str:
    return "&".join(f"{name}={parameters.get(name, '')}" for name in VOICE_PARAMETERS)


def answered_before(request: HttpRequest) -> tuple[str, HttpResponse | None]:
    """(cache key, the answer kept for this idempotency token if Twilio already had one)."""
    token = request.headers.get(IDEMPOTENCY_HEADER, "")
    if not token or len(token) > 200:
        return "", None
    key = f"twilio:answered:{signing.Signer(salt='twilio-idempotency').signature(token)}"
    try:
        kept = cache.get(key)
    except Exception as e:  # without the cache, answer afresh: a retry may repeat, never fail
        log.warning("idempotency cache unavailable (%s)", type(e).__name__)
        return "", None
    if kept is None:
        return key, None
    status, content_type, body = kept
    return key, HttpResponse(body, status=status, content_type=content_type)


def keep_answer(key: str, response: HttpResponse) -> None:
    if not key or response.status_code >= 500:
        return
    try:
        cache.set(key, (response.status_code, response["Content-Type"], response.content), REPLAY_SECONDS)
    except Exception as e:
        log.warning("idempotency cache unavailable (%s)", type(e).__name__)
