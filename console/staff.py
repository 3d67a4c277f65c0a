"""Staff accounts: a role, a password and an authenticator app each, created by an admin
(or by ``manage.py create_staff``), and API tokens for ops tooling."""

import base64
import hashlib
import secrets
from dataclasses import dataclass

import segno
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from console import audit
from console.models import ApiToken, StaffMember

API_PREFIX = "eps_staff_"


@dataclass(frozen=True)
class Enrolment:
    """Shown once, to the admin who made it, to hand to the new member of staff."""

    username: str
    password: str | None
    otpauth_url: str
    secret: str  # base32, for typing into an app that cannot scan

    @property
    def qr_svg(self) -> str:
        return segno.make(self.otpauth_url, error="m").svg_inline(scale=4, title="Authenticator set-up code")


def _new_device(user) -> TOTPDevice:
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def _enrolment(user, device: TOTPDevice, password: str | None) -> Enrolment:
    return Enrolment(
        username=user.get_username(),
        password=password,
        otpauth_url=device.config_url,
        secret=base64.b32encode(device.bin_key).decode(),
    )


@transaction.atomic
def create(username: str, email: str, role: str, password: str | None = None, request: HttpRequest | None = None):
    """A new account with its role and authenticator; a random password unless one is given."""
    chosen = password or secrets.token_urlsafe(12)
    user = get_user_model().objects.create_user(username=username, email=email, password=chosen)
    StaffMember.objects.create(user=user, role=role)
    enrolment = _enrolment(user, _new_device(user), None if password else chosen)
    if request is not None:
        audit.record(request, "staff.create", user, f"Added {username} as {role}", after={"role": role, "email": email})
    return enrolment


@transaction.atomic
def set_role(request: HttpRequest, member: StaffMember, role: str) -> None:
    before = {"role": member.role}
    member.role = role
    member.save(update_fields=["role"])
    audit.record(request, "staff.role", member.user, f"{member.user} is now {role}", before, {"role": role})


@transaction.atomic
def set_active(request: HttpRequest, user, active: bool) -> None:
    before = {"is_active": user.is_active}
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        # Their open sessions end now, not when they next expire.
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                session.delete()
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(
        request,
        "staff.activate" if active else "staff.deactivate",
        user,
        f"{'Reactivated' if active else 'Deactivated'} {user}",
        before,
        {"is_active": active},
    )


@transaction.atomic
def reset_authenticator(request: HttpRequest, user) -> Enrolment:
    enrolment = _enrolment(user, _new_device(user), None)
    audit.record(request, "staff.reset_2fa", user, f"New authenticator for {user}")
    return enrolment


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_api_token(request: HttpRequest, user, label: str) -> str:
    token = API_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, digest=_digest(token), prefix=token[:16], label=label)
    audit.record(
        request, "api_token.issue", row, f"API token {row.prefix}… ({label}) for {user}", after={"label": label}
    )
    return token


@transaction.atomic
def revoke_api_token(request: HttpRequest, row: ApiToken) -> None:
    ApiToken.objects.filter(pk=row.pk).update(revoked_at=timezone.now())
    audit.record(request, "api_token.revoke", row, f"Revoked API token {row.prefix}… for {row.user}")


def api_user(token: str):
    """The active member of staff a bearer token acts as, or None. Looked up by digest (a
    constant-time compare of the digest adds nothing: the digest is the index key)."""
    if not token.startswith(API_PREFIX) or len(token) > 100:
        return None
    row = (
        ApiToken.objects.select_related("user__staff")
        .filter(digest=_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    if not row.last_used_at or (timezone.now() - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user
