"""Error answers as RFC 9457 problem details: what is wrong and, where it can, where."""

from django.http import JsonResponse


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
