"""The Content-Security-Policy of every public page (the console sets its own, stricter about
framing: console/security.py).

Public pages share an origin with the console, so a script injected into one would run with the
console's cookies in reach. Only our own files may run or style anything: no inline script, no
inline style, no other origin but the NHS.UK typeface. htmx's own indicator styles are switched
off in templates/base.html for the same reason.
"""

from django.http import HttpRequest, HttpResponse

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' https://assets.nhs.uk",
        "connect-src 'self'",
        # The console's preview frames public pages from the same origin; nobody else may.
        "frame-ancestors 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class PublicPagePolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/console/"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response
