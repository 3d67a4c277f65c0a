"""One admin cannot act as two people: members set up their own credentials, tokens are issued
only to oneself, approvals come from a person signed in with their own authenticator, and every
password meets the policy."""

import base64
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from console import setup
from console import staff as staff_accounts
from console.authenticators import Authenticator
from console.models import ApiToken, AuditEntry, StaffMember
from notifications.models import Notice
from tests.console.test_sends import draft, publish  # noqa: F401 -- fixture
from tests.factories import PASSWORD, make_staff

pytestmark = pytest.mark.django_db
GOOD = "a long pass phrase of mine 7"


def code(device: Authenticator) -> str:
    return device.code_now()


def add_member(admin: Client, capture, username="new.person") -> str:
    with capture(execute=True):
        response = admin.post(
            "/console/staff/new/", {"username": username, "email": "new@nhs.example", "role": "publisher"}, follow=True
        )
    html = response.content.decode()
    member = StaffMember.objects.get(user__username=username)
    assert not member.user.has_usable_password()
    assert not Authenticator.objects.filter(user=member.user).exists()
    assert "Shown once" not in html and "authenticator key" not in html.lower()
    return re.search(r"http://\S+(/console/set-up/\S+/)", mail.outbox[-1].body).group(1)


def test_an_admin_never_sees_a_new_members_password_or_authenticator_key(staff, django_capture_on_commit_callbacks):
    admin = staff("admin")
    link = add_member(admin, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["new@nhs.example"]
    member = Client()
    page = member.get(link).content.decode()
    device = Authenticator.objects.get(user__username="new.person", confirmed=False)
    assert setup.secret_of(device) in page  # shown to the member, on their own link, only
    response = member.post(link, {"new_password1": GOOD, "new_password2": GOOD, "code": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert get_user_model().objects.get(username="new.person").check_password(GOOD)
    assert AuditEntry.objects.filter(action="staff.set_up", username="new.person").exists()
    # It worked once.
    assert member.get(link).status_code == 404


def test_a_set_up_link_refuses_a_weak_password(staff, django_capture_on_commit_callbacks):
    link = add_member(staff("admin"), django_capture_on_commit_callbacks)
    member = Client()
    member.get(link)
    device = Authenticator.objects.get(user__username="new.person")
    for weak in ("x", "password1234", "new.person12", "123456789012"):
        response = member.post(link, {"new_password1": weak, "new_password2": weak, "code": code(device)})
        assert response.status_code == 400, weak
    assert not get_user_model().objects.get(username="new.person").has_usable_password()


def test_an_unused_set_up_link_expires_within_a_day(staff, django_capture_on_commit_callbacks):
    link = add_member(staff("admin"), django_capture_on_commit_callbacks)
    StaffMember.objects.filter(user__username="new.person").update(set_up_until=timezone.now() - timedelta(seconds=1))
    assert Client().get(link).status_code == 404


def test_resetting_an_authenticator_sends_the_member_a_new_link_and_ends_the_old(
    staff, django_capture_on_commit_callbacks
):
    admin, other = staff("admin"), staff("editor")
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/console/staff/{other.user.pk}/", {"action": "reset_2fa"})
    assert other.get("/console/").status_code == 302  # signed out everywhere
    assert not Authenticator.objects.filter(user=other.user).exists()
    assert mail.outbox[-1].to == [other.user.email] and "/console/set-up/" in mail.outbox[-1].body


def test_an_admin_cannot_issue_a_token_in_someone_elses_name(staff, rf):
    admin, publisher = staff("admin"), staff("publisher")
    response = admin.post(f"/console/staff/{publisher.user.pk}/", {"action": "api_token", "label": "mine now"})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=publisher.user).exists()
    request = rf.post("/")
    request.user = admin.user
    with pytest.raises(staff_accounts.NotYours):
        staff_accounts.issue_api_token(request, publisher.user, "mine now")
    assert not ApiToken.objects.exists()


def test_a_member_issues_their_own_token_and_is_told_by_email(staff, django_capture_on_commit_callbacks):
    me = staff("viewer")
    with django_capture_on_commit_callbacks(execute=True):
        response = me.post("/console/account/api-tokens/", {"label": "my tooling"})
    assert "eps_staff_" in response.content.decode()
    assert ApiToken.objects.get().user == me.user
    assert mail.outbox[-1].to == [me.user.email] and "API token was issued in your name" in mail.outbox[-1].body


def test_an_api_token_cannot_approve_a_held_send(draft, staff, settings, rf, django_capture_on_commit_callbacks):  # noqa: F811
    settings.TWO_PERSON_RULE_RECIPIENTS = 2
    first, second = staff("publisher"), staff("publisher")
    notice = publish(first, draft, django_capture_on_commit_callbacks)
    assert notice.state == "held"
    request = rf.post("/")
    request.user = second.user
    token = staff_accounts.issue_api_token(request, second.user, "tooling")  # the second publisher's own
    response = Client().post(
        f"/console/api/v1/sends/{notice.pk}/approve",
        headers={"Authorization": f"Bearer {token}"},
        content_type="application/json",
    )
    assert response.status_code in (403, 409), response.content
    assert "API token cannot" in response.content.decode()
    assert Notice.objects.get().state == "held"
    assert not AuditEntry.objects.filter(action="send.approve").exists()


def test_a_member_re_enrols_their_own_authenticator(staff, django_capture_on_commit_callbacks):
    me = staff("viewer")
    old = Authenticator.objects.get(user=me.user, confirmed=True)
    me.get("/console/account/authenticator/")
    new = Authenticator.objects.get(user=me.user, confirmed=False)
    assert me.post("/console/account/authenticator/", {"password": "wrong", "code": code(new)}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = me.post("/console/account/authenticator/", {"password": PASSWORD, "code": code(new)})
    assert response.status_code == 302
    assert list(Authenticator.objects.filter(user=me.user).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert not Authenticator.objects.filter(pk=old.pk).exists()
    assert "authenticator app on your account was changed" in mail.outbox[-1].body


def test_a_one_character_password_is_refused_when_changing_it(staff):
    me = staff("viewer")
    response = me.post(
        "/console/account/password/", {"old_password": PASSWORD, "new_password1": "x", "new_password2": "x"}
    )
    assert response.status_code == 400
    assert "at least 12 characters" in response.content.decode()


def test_authenticator_seeds_are_encrypted_at_rest(staff):
    me = staff("viewer")
    device = Authenticator.objects.get(user=me.user)
    stored = bytes(Authenticator.objects.filter(pk=device.pk).values_list("seed_encrypted", flat=True)[0])
    assert device.seed.hex().encode() not in stored and base64.b32encode(device.seed) not in stored
    assert len(device.seed) == 20 and device.verify_token(device.code_now())


def test_failed_sign_ins_keep_neither_password_nor_code(client):
    from axes.models import AccessAttempt  # noqa: PLC0415 -- only this test reads django-axes' rows

    make_staff("locked", "viewer")
    client.post("/console/sign-in/", {"username": "locked", "password": "guess-one-two", "code": "493817"})
    attempt = AccessAttempt.objects.get()
    assert "guess-one-two" not in attempt.post_data and "493817" not in attempt.post_data
