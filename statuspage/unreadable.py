"""Input that no page or API can use is refused at the door, before it reaches a query: a NUL byte
(PostgreSQL cannot store one, and no real address, search or form answer has one) anywhere in the
path, the query string or a submitted form. People get a page that says so; APIs a problem in JSON."""

from urllib.parse import unquote_plus

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from statuspage.api.problems import problem

NUL = "\x00"
API_PREFIXES = ("/api/", "/console/api/")
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def where_unreadable(request: HttpRequest) -> str | None:
    """Which part of the request holds a NUL byte (a JSON pointer-style name), or None."""
    if NUL in request.path_info:
        return "path"
    if NUL in unquote_plus(request.META.get("QUERY_STRING", "")):
        return "query"
    # Forms only where forms are taken: the APIs read JSON, and check it themselves.
    if request.method == "POST" and request.content_type in FORMS and not request.path_info.startswith(API_PREFIXES):
        try:
            # Read whole first, so the view can still read the body after the form is parsed here.
            request.body  # noqa: B018
            fields = list(request.POST.lists())
        except (RequestDataTooBig, MultiPartParserError):
            return None  # the view refuses it in its own words
        for name, values in fields:
            if NUL in name or any(NUL in value for value in values):
                return f"form:{name.replace(NUL, '')}"
    return None


class RefuseUnreadable:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = where_unreadable(request)
        if where is None:
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIXES):
            return problem(400, "Unreadable input", "The request holds a NUL character.", [(where, "holds a NUL")])
        return render(request, "statuspage/unreadable.html", status=400)
