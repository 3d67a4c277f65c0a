"""What every console response carries, and when a console session ends.

Console pages hold internal notes and live operational detail: no shared cache may keep them,
no other site may frame them, and no script runs but our own files.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from statuspage import security_headers

PREFIX = "/console/"
# As strict as the public pages' (statuspage/security_headers.py), and never framed.
CSP = security_headers.policy("'none'")
# The preview shows the public page exactly, framed inside the console: only there may we frame ourselves.
FRAMEABLE = "frame-ancestors 'self'"
HSTS = "max-age=31536000; includeSubDomains"
SIGNED_IN_AT, SEEN_AT = "console:signed_in_at", "console:seen_at"


def session_expired(session, now: float) -> str:
    """Why this signed-in session must end now, or "" if it may go on."""
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if signed_in_at is None or seen_at is None:
        return ""
    if now - signed_in_at > settings.CONSOLE_SESSION_HOURS * 3600:
        return f"You were signed out: sessions last at most {settings.CONSOLE_SESSION_HOURS} hours."
    if now - seen_at > settings.CONSOLE_IDLE_MINUTES * 60:
        return f"You were signed out after {settings.CONSOLE_IDLE_MINUTES} minutes without activity."
    return ""


def start_session(request: HttpRequest) -> None:
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    request.session.set_expiry(settings.CONSOLE_IDLE_MINUTES * 60)


class ConsoleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        request.console_signed_out = ""
        if request.user.is_authenticated:
            now = time.time()
            reason = session_expired(request.session, now)
            if reason:
                # Ends it on the server: the session row is deleted, not just the cookie.
                logout(request)
                request.console_signed_out = reason
            elif SEEN_AT in request.session:
                request.session[SEEN_AT] = now
        response = self.get_response(request)
        response["Cache-Control"] = "private, no-store"
        response.setdefault("Content-Security-Policy", CSP)
        response["Strict-Transport-Security"] = HSTS
        response["X-Content-Type-Options"] = "nosniff"
        if "frame-ancestors 'self'" not in response["Content-Security-Policy"]:
            response["X-Frame-Options"] = "DENY"
        return response
