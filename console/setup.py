"""Enrolling: every member chooses their own password and enrols their own authenticator.

An admin (or ``manage.py create_staff``) only names the member and their role. The member is
emailed a set-up link that works once, within SET_UP_HOURS; until they use it the account has no
usable password and no authenticator, so there is nothing anybody else could have seen or could
sign in with. An admin who resets someone's authenticator sends them a new link the same way.
"""

import base64
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from console.authenticators import Authenticator
from console.models import StaffMember

SET_UP_HOURS = 24


class _Links(PasswordResetTokenGenerator):
    """Django's password-reset token, bound also to the link's generation and deadline: it stops
    working when the password is set, when a newer link is sent, and when the deadline passes."""

    key_salt = "console.setup.Links"

    def _make_hash_value(self, user, timestamp: int) -> str:
        member = user.staff
        until = member.set_up_until.isoformat() if member.set_up_until else ""
        return f"{user.pk}{user.password}{member.set_up_generation}{until}{timestamp}"


links = _Links()


def start(member: StaffMember) -> int:
    """Put the member back to set-up: no password, no authenticator, signed out everywhere, and a
    new link generation (returned) for the email."""
    user = member.user
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Authenticator.objects.filter(user=user).delete()
        StaffMember.objects.filter(pk=member.pk).update(
            set_up_until=timezone.now() + timedelta(hours=SET_UP_HOURS),
            set_up_generation=member.set_up_generation + 1,
        )
        end_sessions(user)
    member.refresh_from_db()
    return member.set_up_generation


def end_sessions(user) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


def link_path(member: StaffMember) -> str:
    uid = urlsafe_base64_encode(force_bytes(member.user.pk))
    return f"/console/set-up/{uid}/{links.make_token(member.user)}/"


def member_for(uid: str, token: str) -> StaffMember | None:
    """The member a set-up link is for, while it still works."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).select_related("staff").first()
    if user is None or not hasattr(user, "staff"):
        return None
    member = user.staff
    if member.set_up_until is None or member.set_up_until <= timezone.now():
        return None
    return member if links.check_token(user, token) else None


def pending_device(user) -> Authenticator:
    """The authenticator being enrolled: unconfirmed until its first code is typed back."""
    device = Authenticator.objects.filter(user=user, confirmed=False).first()
    return device or Authenticator.objects.create(user=user, name="Authenticator app", confirmed=False)


def secret_of(device: Authenticator) -> str:
    return base64.b32encode(device.seed).decode()


@transaction.atomic
def finish(member: StaffMember, password: str, device: Authenticator) -> None:
    """The member chose a password and proved their new authenticator: the link stops working."""
    user = member.user
    user.set_password(password)
    user.save(update_fields=["password"])
    Authenticator.objects.filter(user=user).exclude(pk=device.pk).delete()
    Authenticator.objects.filter(pk=device.pk).update(confirmed=True)
    StaffMember.objects.filter(pk=member.pk).update(set_up_until=None)


@transaction.atomic
def replace_authenticator(user, device: Authenticator) -> None:
    """A signed-in member's own new authenticator, proved by a code from it, replaces the old."""
    Authenticator.objects.filter(user=user).exclude(pk=device.pk).delete()
    Authenticator.objects.filter(pk=device.pk).update(confirmed=True)
