"""Error answers as RFC 9457 problem details: what is wrong and, where it can, where."""

from functools import wraps

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


def problem(
    status: int, title: str, detail: str, errors: list[tuple[str, str]] | None = None, **headers
) -> JsonResponse:
    body = {"type": "about:blank", "status": status, "title": title, "detail": detail}
    if errors:
        body["errors"] = [{"pointer": pointer, "detail": text} for pointer, text in errors]
    response = JsonResponse(body, status=status, content_type="application/problem+json")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    response["Cache-Control"] = "no-store"
    return response


def allow(*methods: str):
    """Like Django's require_http_methods, but the refusal is a problem in JSON, as every API answer is."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if request.method not in methods:
                return problem(405, "Method Not Allowed", f"Use {' or '.join(methods)}.", Allow=", ".join(methods))
            return view(request, *args, **kwargs)

        return checked

    return decorate


def read_only(view):
    """GET and HEAD only. Exempt from CSRF, which would refuse a POST with an HTML 403 before the
    view could answer 405 in JSON: a read-only view has no state for a forged request to change."""
    return csrf_exempt(allow("GET", "HEAD")(view))
