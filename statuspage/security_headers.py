"""The Content-Security-Policy of every public page (the console sets its own, stricter about
framing: console/security.py).

Public pages share an origin with the console, so a script injected into one would run with the
console's cookies in reach. Only our own files may run or style anything: no inline script, no
inline style, no other origin but the NHS.UK typeface. htmx's own indicator styles are switched
off in templates/base.html for the same reason.
"""

from django.http import HttpRequest, HttpResponse


def policy(frame_ancestors: str) -> str:
    """Our Content-Security-Policy: only our own files, and the NHS.UK typeface. ``frame_ancestors``
    says who may frame the page."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            # The NHS.UK frontend's own typeface.
            "font-src 'self' https://assets.nhs.uk",
            "connect-src 'self'",
            "frame-src 'self'",
            f"frame-ancestors {frame_ancestors}",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


# The console's preview frames public pages from the same origin; nobody else may.
CSP = policy("'self'")


class PublicPagePolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/console/"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response
