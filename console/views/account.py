"""A member's own account: setting it up from the emailed link, their password, their
authenticator, and their own API tokens. Nobody else's credentials are ever shown or issued here."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from console import audit, roles, setup, staff, tasks
from console.authenticators import Authenticator
from console.forms import TokenForm
from console.models import ApiToken

CODE = forms.RegexField(
    regex=r"^\s*\d{6}\s*$",
    label="Code from your authenticator app",
    error_messages={"invalid": "Enter the 6-digit code from your authenticator app"},
    widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
)


class SetUpForm(SetPasswordForm):
    """Django's new-password pair (run through AUTH_PASSWORD_VALIDATORS) and the first code."""

    code = CODE

    def __init__(self, user, device: Authenticator, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not self.device.verify_token(code):
            raise forms.ValidationError("That code is not right. Use the newest code the app shows for EPS Status.")
        return code


class NewAuthenticatorForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = CODE

    def __init__(self, user, device: Authenticator, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.device = user, device

    def clean_password(self) -> str:
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("That is not your password.")
        return self.cleaned_data["password"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if "password" not in self.cleaned_data:
            return code  # a code is used up once checked: not spent on a wrong password
        if not self.device.verify_token(code):
            raise forms.ValidationError("That code is not right. Use the code from the new entry in your app.")
        return code


def _qr(device: Authenticator) -> dict:
    return {
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, title="Authenticator set-up code"),
        "secret": setup.secret_of(device),
    }


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    member = setup.member_for(uid, token)
    if member is None:
        return render(request, "console/set_up.html", {"expired": True}, status=404)
    device = setup.pending_device(member.user)
    form = SetUpForm(member.user, device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        setup.finish(member, form.cleaned_data["new_password1"], device)
        request.attempted_username = member.user.get_username()
        audit.record(request, "staff.set_up", member.user, f"{member.user} set up their password and authenticator")
        messages.success(request, "Your account is set up. Sign in with your new password and a code from the app.")
        return redirect("console:sign-in")
    context = {"form": form, "member": member, **_qr(device)}
    return render(request, "console/set_up.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET"])
@roles.viewer
def account(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "console/account.html", {"tokens": tokens, "token_form": TokenForm()})


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@roles.viewer
def password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit.record(request, "account.password", user, f"{user.get_username()} changed their password")
        tasks.tell_member.delay_on_commit(user.pk, "password")
        return render(request, "console/password.html", {"done": True})
    return render(request, "console/password.html", {"form": form}, status=400 if form.errors else 200)


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@roles.viewer
def authenticator(request: HttpRequest) -> HttpResponse:
    """Re-enrol one's own authenticator (a new phone): proved by one's password and a code from the
    new app; the old one stops working at once."""
    device = setup.pending_device(request.user)
    form = NewAuthenticatorForm(request.user, device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        setup.replace_authenticator(request.user, device)
        device.refresh_from_db()
        otp_login(request, device)
        audit.record(request, "account.authenticator", request.user, f"{request.user} set up a new authenticator")
        tasks.tell_member.delay_on_commit(request.user.pk, "authenticator")
        messages.success(request, "Your new authenticator app is set up. The old one no longer works.")
        return redirect("console:account")
    return render(
        request, "console/authenticator.html", {"form": form, **_qr(device)}, status=400 if form.errors else 200
    )


@require_POST
@roles.viewer
def token_issue(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what the token is for.")
        return redirect("console:account")
    token = staff.issue_api_token(request, request.user, form.cleaned_data["label"])
    return render(request, "console/api_token_issued.html", {"token": token, "member": request.staff})


@require_POST
@roles.viewer
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    row = get_object_or_404(ApiToken, pk=token_id, user=request.user, revoked_at__isnull=True)
    staff.revoke_api_token(request, row)
    messages.success(request, f"Revoked {row.prefix}….")
    return redirect("console:account")
