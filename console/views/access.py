"""Signing in (password and TOTP code, both counted by django-axes) and out."""

from django import forms
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from console import audit, roles
from console.security import start_session


class SignInForm(forms.Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label="Code from your authenticator app",
        error_messages={"invalid": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


WRONG = "The username, password or code is not right. Check them and try again."


@sensitive_post_parameters("password", "code")
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or "/console/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}) or not next_url.startswith("/console/"):
        next_url = "/console/"
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        device = match_token(user, form.cleaned_data["code"].strip()) if user is not None else None
        if user is not None and device is None:
            # A right password with a wrong code is a failed sign-in too: django-axes counts it.
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
            user = None
        if user is not None and roles.member(user) is not None:
            login(request, user)
            otp_login(request, device)
            start_session(request)
            audit.record(request, "sign_in", user, f"{username} signed in")
            return redirect(next_url)
        form.add_error(None, WRONG)
    return render(
        request,
        "console/sign_in.html",
        {"form": form, "next": next_url, "signed_out": getattr(request, "console_signed_out", "")},
        status=200 if not form.errors else 400,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record(request, "sign_out", request.user, f"{request.user.get_username()} signed out")
    logout(request)  # deletes the session on the server, not just the cookie
    return redirect("/console/sign-in/?signed_out=1")
