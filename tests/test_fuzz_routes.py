"""No input gets a 5xx: every public GET route, read from the URLconf so a new one is covered
without being listed, is fuzzed in its path and its query; so is the console API, as schemathesis
already does for /api/v1."""

import json
import re
from urllib.parse import quote, urlencode

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console import staff as staff_accounts
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
# Reads that people, feeds and clinical systems make. The console (behind sign-in) and the POST-only
# webhooks are covered by their own tests, and the console API is fuzzed below; the health checks
# answer 503 by design when something is down.
NOT_PUBLIC = ("console/", "webhooks/twilio/", "healthz")
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["\x00", "%00", "FW844", "../../etc/passwd", "9" * 400, "' OR 1=1 --", "<script>", "é", "🙂", " "]
)


def routes(patterns=None, prefix="") -> list[str]:
    found = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            found += routes(p.url_patterns, route)
        elif isinstance(p, URLPattern) and not route.startswith(NOT_PUBLIC):
            found.append(route.lstrip("^").rstrip("$"))
    return sorted(set(found))


PUBLIC = routes()


def fill(route: str, values: list[str]) -> str:
    parts = iter(values)
    return "/" + CONVERTER.sub(lambda m: quote(next(parts, "x") or "x", safe=""), route)


def test_the_fuzzed_routes_include_the_pages_people_and_systems_read():
    assert {"", "pharmacies/<str:code>/", "api/v2/summary.json", "api/v1/advice", "subscribe/"} <= set(PUBLIC)


@pytest.mark.parametrize("route", PUBLIC)
def test_no_path_or_query_gets_a_5xx(client, pharmacy, route):
    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        values=st.lists(text, min_size=3, max_size=3),
        query=st.dictionaries(st.sampled_from(["q", "pharmacy", "supplier", "nation", "page", "x"]), text, max_size=3),
        welsh=st.booleans(),
    )
    def check(values, query, welsh):
        path = fill(route, values)
        if welsh and not path.startswith("/api/"):
            path = "/cy" + path
        response = client.get(path + ("?" + urlencode(query) if query else ""))
        assert response.status_code < 500, (path, query, response.status_code)

    check()


@pytest.fixture
def console_api(client, db):
    user = make_staff("fuzz-bot", "publisher")
    request = RequestFactory().post("/")
    request.user = user
    token = staff_accounts.issue_api_token(request, user, "fuzz")
    return {"Authorization": f"Bearer {token}"}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)
CONSOLE_API = [
    "/console/api/v1/incidents",
    "/console/api/v1/incidents/{}",
    "/console/api/v1/incidents/{}/updates",
    "/console/api/v1/incidents/{}/notes",
    "/console/api/v1/drafts/{}/publish",
    "/console/api/v1/maintenance",
    "/console/api/v1/sends/{}",
    "/console/api/v1/sends/1/{}",
]


@pytest.mark.parametrize("template", CONSOLE_API)
def test_the_console_api_answers_any_body_and_path_without_a_5xx(client, broker, console_api, template):
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        part=text,
        body=st.dictionaries(
            st.sampled_from(["name", "body", "components", "status", "impact", "publish", "text", "starts", "ends"]),
            json_values,
        )
        | json_values,
    )
    def check(part, body):
        path = template.format(quote(part or "x", safe=""))
        for response in (
            client.get(path, headers=console_api),
            client.post(path, json.dumps(body), content_type="application/json", headers=console_api),
        ):
            assert response.status_code < 500, (path, body, response.status_code)

    check()
