"""Staff accounts: a role, a password and an authenticator app each. An admin (or ``manage.py
create_staff``) names the member; the member sets up their own password and authenticator
(console/setup.py). API tokens for ops tooling, each issued to its own holder."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from console import audit, setup, tasks
from console.authenticators import Authenticator
from console.models import ApiToken, StaffMember

API_PREFIX = "eps_staff_"


class NotYours(PermissionError):
    """An API token may only be issued to the member asking for it."""


def create_enrolled(username: str, email: str, role: str, password: str):
    """An account that is already set up, with a confirmed authenticator: for the laptop demo and
    the tests, never reachable from the console or any real deployment's commands."""
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    StaffMember.objects.create(user=user, role=role)
    Authenticator.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


@transaction.atomic
def invite(username: str, email: str, role: str, request: HttpRequest | None = None) -> StaffMember:
    """A new member, who sets their own password and authenticator from the emailed link."""
    user = get_user_model().objects.create_user(username=username, email=email, password=None)
    member = StaffMember.objects.create(user=user, role=role)
    generation = setup.start(member)
    if request is not None:
        audit.record(request, "staff.create", user, f"Added {username} as {role}", after={"role": role, "email": email})
    tasks.send_set_up_link.delay_on_commit(user.pk, generation)
    return member


@transaction.atomic
def set_role(request: HttpRequest, member: StaffMember, role: str) -> None:
    before = {"role": member.role}
    member.role = role
    member.save(update_fields=["role"])
    audit.record(request, "staff.role", member.user, f"{member.user} is now {role}", before, {"role": role})
    tasks.tell_member.delay_on_commit(member.user_id, "role")


@transaction.atomic
def set_active(request: HttpRequest, user, active: bool) -> None:
    before = {"is_active": user.is_active}
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        # Their open sessions end now, not when they next expire.
        setup.end_sessions(user)
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
def reset_authenticator(request: HttpRequest, user) -> None:
    """For a member who lost their authenticator: they set up again from a new emailed link."""
    generation = setup.start(user.staff)
    audit.record(request, "staff.reset_2fa", user, f"Sent {user} a new set-up link")
    tasks.send_set_up_link.delay_on_commit(user.pk, generation)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_api_token(request: HttpRequest, user, label: str) -> str:
    """A token for the member asking, only: a token in someone else's name would let one person
    act as two (and approve their own send)."""
    if user != request.user:
        raise NotYours("An API token can only be issued to yourself.")
    token = API_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, digest=_digest(token), prefix=token[:16], label=label)
    audit.record(
        request, "api_token.issue", row, f"API token {row.prefix}… ({label}) for {user}", after={"label": label}
    )
    tasks.tell_member.delay_on_commit(user.pk, "api_token")
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
