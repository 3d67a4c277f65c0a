"""Registering, confirming and looking after webhook endpoints.

An endpoint is registered by an admin in the console (active at once) or by anyone through the
self-service form (pending until the contact confirms from the email we send). Its secret is
shown once, when it becomes active or is rotated; we keep it encrypted to sign with.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from common import addresses, outbound, personal
from integrations.models import Delivery, Endpoint
from integrations.signing import new_secret

# Version 2 of the manage link: version 1 (the endpoint's id alone) travelled in every webhook's
# payload, so it is no longer believed.
MANAGE_SALT = "integrations.manage.2"
UNSUBSCRIBE_SALT = "integrations.unsubscribe"
CONFIRM_SALT = "integrations.confirm"
CONFIRM_SECONDS = 24 * 3600


class Refused(ValueError):
    """A URL we will not send to, with the reason in words."""


def allow_private() -> bool:
    return settings.WEBHOOKS_ALLOW_PRIVATE


def guard() -> tuple[addresses.Network, ...]:
    """The networks a webhook may reach besides the public internet: none in production, where a
    webhook must never make our servers call inside the NHS network (or a cloud's metadata
    address)."""
    return addresses.ANYWHERE if allow_private() else ()


def check_address(host: str) -> None:
    if allow_private():
        return  # a laptop or a test: names that do not resolve yet are allowed too
    try:
        outbound.check_host(host, guard())
    except outbound.Forbidden:
        raise Refused(f"{host} {addresses.NOT_PUBLIC}: we send webhooks only to public addresses.") from None


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" and not (allow_private() and parts.scheme == "http"):
        raise Refused("The address must start with https://")
    if not parts.hostname:
        raise Refused("The address needs a host name, like https://example.org/hooks/eps")
    if parts.username or parts.password:
        raise Refused("Leave user names and passwords out of the address; we sign each request instead.")
    if len(url) > 500:
        raise Refused("The address is too long (500 characters at most).")
    check_address(parts.hostname)
    return url


def _from_token(token: str, salt: str, max_age: int | None = None) -> Endpoint | None:
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    return Endpoint.objects.filter(pk=pk).first()


def _linked(token: str, salt: str) -> Endpoint | None:
    try:
        data = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), int) or not isinstance(data.get("g"), int):
        return None
    return Endpoint.objects.filter(pk=data["e"], link_generation=data["g"]).first()


def manage_token(endpoint: Endpoint) -> str:
    return signing.dumps({"e": endpoint.pk, "g": endpoint.link_generation}, salt=MANAGE_SALT)


def from_manage_token(token: str) -> Endpoint | None:
    return _linked(token, MANAGE_SALT)


def manage_url(endpoint: Endpoint) -> str:
    """Full control (secret, switching on, deleting): shown on confirming, and emailed to the
    contact only. Never in a payload, which the receiver's logs and tools may keep."""
    return f"{settings.SITE_URL}/webhooks/manage/{manage_token(endpoint)}/"


def unsubscribe_url(endpoint: Endpoint) -> str:
    """In every payload: it can only switch the webhook off."""
    token = signing.dumps({"e": endpoint.pk, "g": endpoint.link_generation}, salt=UNSUBSCRIBE_SALT)
    return f"{settings.SITE_URL}/webhooks/unsubscribe/{token}/"


def from_unsubscribe_token(token: str) -> Endpoint | None:
    return _linked(token, UNSUBSCRIBE_SALT)


def new_links(endpoint: Endpoint) -> Endpoint:
    Endpoint.objects.filter(pk=endpoint.pk).update(link_generation=F("link_generation") + 1)
    endpoint.refresh_from_db()
    return endpoint


def confirm_token(endpoint: Endpoint) -> str:
    return signing.dumps(endpoint.pk, salt=CONFIRM_SALT)


def from_confirm_token(token: str) -> Endpoint | None:
    return _from_token(token, CONFIRM_SALT, CONFIRM_SECONDS)


def register(url: str, contact: str, components=(), by=None) -> tuple[Endpoint, str]:
    """A new endpoint and its secret. Staff registrations are active at once; others wait for
    their contact to confirm."""
    secret = new_secret()
    now = timezone.now()
    endpoint = Endpoint.objects.create(
        url=check_url(url),
        state=Endpoint.State.ACTIVE if by else Endpoint.State.PENDING,
        secret_encrypted=personal.encrypt(secret),
        contact_encrypted=personal.encrypt(contact.strip().lower()),
        contact_hash=personal.lookup_hash("webhook-contact", contact.strip().lower()),
        created_at=now,
        created_by=by,
        confirmed_at=now if by else None,
    )
    endpoint.components.set(components)
    return endpoint, secret


def confirm(endpoint: Endpoint) -> bool:
    """True the first time: the page that confirms is the one place the secret is shown."""
    return bool(
        Endpoint.objects.filter(pk=endpoint.pk, state=Endpoint.State.PENDING).update(
            state=Endpoint.State.ACTIVE, confirmed_at=timezone.now()
        )
    )


def rotate_secret(endpoint: Endpoint) -> str:
    secret = new_secret()
    endpoint.secret_encrypted = personal.encrypt(secret)
    endpoint.save(update_fields=["secret_encrypted"])
    return secret


@transaction.atomic
def disable(endpoint: Endpoint, reason: str) -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(
        state=Endpoint.State.DISABLED, disabled_at=timezone.now(), disabled_reason=reason[:300]
    )
    # What was still waiting would only fail too, or arrive far too late to matter.
    endpoint.deliveries.filter(state=Delivery.State.PENDING).update(
        state=Delivery.State.CANCELLED, next_attempt_at=None
    )


def enable(endpoint: Endpoint) -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(
        state=Endpoint.State.ACTIVE, disabled_at=None, disabled_reason="", failing_since=None
    )
