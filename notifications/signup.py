"""Joining and leaving: double opt-in by a texted code or an emailed link, limits against SMS
pumping, and the signed links that let a subscriber see, stop or delete what we hold.

The answer to "send me a code" is the same whether the number is known, new, or over a
limit: nobody can use the form to learn who is subscribed, or to run up texts.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common import personal
from common.counters import count_hourly
from notifications.models import Subscriber, Subscription

CODE_VALID = timedelta(minutes=10)
CODE_TRIES = 5
LINK_SALT = "notifications.confirm"
MANAGE_SALT = "notifications.manage"
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
MANAGE_VALID = timedelta(hours=24)
LINK_VALID = timedelta(hours=24)
UNCONFIRMED_KEPT = timedelta(hours=24)
# Per hour. A client address may try a few numbers; a number gets few codes; a block of numbers
# (the pumping pattern) gets a few more; the whole site has a ceiling.
PER_CLIENT, PER_NUMBER, PER_PREFIX = 10, 3, 20


@dataclass(frozen=True)
class Follow:
    scope: str
    pharmacy_id: int | None = None
    nation: str = ""


class TooMany(Exception):
    """This client asked too often; tell them to wait (this says nothing about any number)."""


def _code_hash(subscriber_id: int, code: str) -> str:
    key = personal.lookup_hash("code-key", str(subscriber_id)).encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def find(channel: str, address: str) -> Subscriber | None:
    return Subscriber.objects.filter(channel=channel, address_hash=personal.lookup_hash(channel, address)).first()


@transaction.atomic
def start(channel: str, address: str, follows: list[Follow], client: str, language: str = "en") -> int | None:
    """Record what someone asked to follow and return the subscriber to send a confirmation to,
    or None when a limit says not to send (the caller answers the same either way).
    Raises TooMany when this client itself is over its limit."""
    if not count_hourly(f"client:{client}", PER_CLIENT):
        raise TooMany
    subscriber = find(channel, address)
    if subscriber is None:
        subscriber = Subscriber(channel=channel, language=language)
        subscriber.address = address
        try:
            with transaction.atomic():
                subscriber.save()
        except IntegrityError:  # the same address at the same moment from another request
            subscriber = find(channel, address)
    elif subscriber.language != language:
        # The language of their latest sign-up is the one they chose last.
        Subscriber.objects.filter(pk=subscriber.pk).update(language=language)
    for f in follows:
        Subscription.objects.get_or_create(
            subscriber=subscriber, scope=f.scope, pharmacy_id=f.pharmacy_id, nation=f.nation
        )
    within = count_hourly(f"address:{subscriber.address_hash}", PER_NUMBER)
    if channel == Subscriber.Channel.SMS:
        within = within and count_hourly(f"prefix:{address[:8]}", PER_PREFIX)
        within = within and count_hourly("global", settings.CONFIRMATION_TEXTS_PER_HOUR)
    return subscriber.pk if within else None


def new_code(subscriber_id: int) -> str:
    """A fresh 6-digit code for a subscriber (replacing any earlier one); only its hash is kept."""
    code = f"{secrets.randbelow(10**6):06d}"
    Subscriber.objects.filter(pk=subscriber_id).update(
        code_hash=_code_hash(subscriber_id, code), code_expires_at=timezone.now() + CODE_VALID, code_tries=0
    )
    return code


def confirm_code(address_hash: str, code: str) -> Subscriber | None:
    """The subscriber if the code is right, in time, and within its tries; the code then dies."""
    subscriber = Subscriber.objects.filter(channel=Subscriber.Channel.SMS, address_hash=address_hash).first()
    if subscriber is None or not subscriber.code_hash or not code.isdigit():
        return None
    now = timezone.now()
    # Count the try first (conditionally), so parallel guesses cannot share one try.
    tried = Subscriber.objects.filter(
        pk=subscriber.pk, code_tries__lt=CODE_TRIES, code_expires_at__gt=now, code_hash=subscriber.code_hash
    ).update(code_tries=F("code_tries") + 1)
    if not tried or not hmac.compare_digest(subscriber.code_hash, _code_hash(subscriber.pk, code)):
        return None
    if not Subscriber.objects.filter(pk=subscriber.pk, code_hash=subscriber.code_hash).update(
        code_hash="", code_expires_at=None
    ):
        return None  # used by a parallel request a moment ago
    return activate(subscriber.pk)


def activate(subscriber_id: int) -> Subscriber:
    """The address's owner confirmed: it receives messages, for everything it asked to follow."""
    now = timezone.now()
    Subscriber.objects.filter(pk=subscriber_id).exclude(state=Subscriber.State.ACTIVE).update(
        state=Subscriber.State.ACTIVE, confirmed_at=now, opted_out_at=None
    )
    Subscription.objects.filter(subscriber_id=subscriber_id, confirmed_at__isnull=True).update(confirmed_at=now)
    return Subscriber.objects.get(pk=subscriber_id)


def confirm_link(subscriber_id: int) -> str:
    """An email's confirmation link, good once: its nonce's keyed hash waits where a text's code
    would, and is spent when the link is used, so a replayed link cannot sign up again someone who
    has since stopped. A newer link replaces an older one."""
    nonce = secrets.token_urlsafe(16)
    Subscriber.objects.filter(pk=subscriber_id).update(
        code_hash=_code_hash(subscriber_id, nonce), code_expires_at=timezone.now() + LINK_VALID, code_tries=0
    )
    return signing.dumps({"s": subscriber_id, "n": nonce}, salt=LINK_SALT)


def confirm_by_link(token: str) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_VALID)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int) or not isinstance(data.get("n"), str):
        return None
    subscriber_id = data["s"]
    spent = Subscriber.objects.filter(
        pk=subscriber_id,
        channel=Subscriber.Channel.EMAIL,
        code_hash=_code_hash(subscriber_id, data["n"]),
        code_expires_at__gt=timezone.now(),
    ).update(code_hash="", code_expires_at=None)
    return activate(subscriber_id) if spent else None


# Links that show and change someone's details. The manage link (after confirming) lasts a day;
# the unsubscribe link, in every message we send, lasts as long as the subscription but can only
# stop messages or delete the details. Both stop working when the subscriber asks for new links.
def manage_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "g": subscriber.link_generation}, salt=MANAGE_SALT)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "g": subscriber.link_generation}, salt=UNSUBSCRIBE_SALT)


def _holder(data) -> Subscriber | None:
    if isinstance(data, int):  # links sent before links had generations: the first generation's
        data = {"s": data, "g": 0}
    if not isinstance(data, dict) or not isinstance(data.get("s"), int) or not isinstance(data.get("g"), int):
        return None
    return Subscriber.objects.filter(pk=data["s"], link_generation=data["g"]).first()


def from_manage_token(token: str) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=MANAGE_SALT, max_age=MANAGE_VALID)
    except signing.BadSignature:
        return None
    return _holder(data) if isinstance(data, dict) else None


def from_unsubscribe_token(token: str) -> Subscriber | None:
    try:
        return _holder(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except signing.BadSignature:
        pass
    try:
        # Emails sent before unsubscribe links had their own kind carried a manage token.
        data = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        return None
    return _holder(data) if isinstance(data, int) else None


def new_links(subscriber: Subscriber) -> Subscriber:
    """Every link sent so far stops working (one was shared, or a phone was lost)."""
    Subscriber.objects.filter(pk=subscriber.pk).update(link_generation=F("link_generation") + 1)
    subscriber.refresh_from_db()
    return subscriber


def opt_out(subscriber: Subscriber) -> None:
    Subscriber.objects.filter(pk=subscriber.pk).update(state=Subscriber.State.OPTED_OUT, opted_out_at=timezone.now())


def opt_in_again(subscriber: Subscriber) -> bool:
    """START after STOP: only someone who once confirmed comes back without a new code."""
    return bool(
        Subscriber.objects.filter(
            pk=subscriber.pk, state=Subscriber.State.OPTED_OUT, confirmed_at__isnull=False
        ).update(state=Subscriber.State.ACTIVE, opted_out_at=None)
    )


def forget_unconfirmed(now=None) -> int:
    """Sign-ups never confirmed are deleted after 24 hours."""
    now = now or timezone.now()
    deleted, _ = Subscriber.objects.filter(
        state=Subscriber.State.PENDING, confirmed_at__isnull=True, created_at__lt=now - UNCONFIRMED_KEPT
    ).delete()
    return deleted
