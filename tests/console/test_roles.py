"""Every console endpoint, for every role: allowed or refused on the server, and every write
that goes through leaves an audit entry naming who, when and from where."""

import json

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, reverse
from django.utils import timezone

from console import staff as staff_accounts
from console.forms import choosable_components
from console.models import RANK, ApiToken, AuditEntry, Role
from console.urls import urlpatterns
from detection import drafts, tokens
from integrations import endpoints as webhook_endpoints
from notifications.models import Notice
from statuspage.models import Component, IncidentDraft, Supplier
from statuspage.publishing import open_incident
from tests.factories import PASSWORD, make_staff, signed_in, subscriber

pytestmark = pytest.mark.django_db
OPEN_TO_ALL = {"sign-in", "sign-out", "set-up"}
API = {p.name for p in urlpatterns if str(p.pattern).startswith("api/")}
PAGES = [p for p in urlpatterns if p.name not in OPEN_TO_ALL and p.name not in API]


@pytest.fixture
def world(broker, pharmacy):
    subscriber("+447700900201", scope="pharmacy", pharmacy=pharmacy)
    drafts.on_status_change(broker, "major_outage", "Oldest prescription waiting 2 h", timezone.now())
    incident = open_incident("Earlier problem", "Investigating.", "major", {broker.component: "major_outage"})
    target = make_staff("target", Role.VIEWER)
    other = Supplier.objects.create(name="Titan", vendor="Invatech", slug="titan", kind="pharmacy")
    return {
        "draft": IncidentDraft.objects.get(state="open"),
        "incident": incident,
        "notice": Notice.objects.get(incident=incident),
        "broker": broker,
        "token": tokens.issue(broker, "probe") and broker.tokens.get(),
        "target": target,
        "api_token": ApiToken.objects.create(user=target, digest="0" * 64, prefix="eps_staff_0000", label="x"),
        "other_supplier": other,
        "webhook": webhook_endpoints.register("https://hooks.example.org/eps", "ops@example.org", by=target)[0],
    }


def url_for(pattern: URLPattern, w: dict) -> str:
    values = {
        "draft_id": w["draft"].pk,
        "code": w["incident"].code,
        "notice_id": w["notice"].pk,
        "action": "disable" if pattern.name == "webhook-action" else "cancel",
        "broker_id": w["broker"].pk,
        "token_id": w["api_token"].pk
        if pattern.name.endswith("api-token-revoke") or pattern.name == "account-token-revoke"
        else w["token"].pk,
        "user_id": w["target"].pk,
        "endpoint_id": w["webhook"].pk,
    }
    names = pattern.pattern.converters.keys()
    return reverse(f"console:{pattern.name}", kwargs={n: values[n] for n in names})


def post_data(name: str, w: dict) -> dict | None:
    """A valid form for each write, so that an allowed role's request really writes; None: a page read."""
    component = w["broker"].component.pk
    draft = {
        "name": "Problem sending prescriptions",
        "components": [component],
        "component_status": "major_outage",
        "impact": "major",
        "incident_status": "investigating",
        "body": "We know about a problem sending prescriptions {where}. {what_to_do}",
    }
    return {
        "password": {
            "old_password": PASSWORD,
            "new_password1": "a new pass phrase 99",
            "new_password2": "a new pass phrase 99",
        },
        "draft-new": draft,
        "draft-edit": draft,
        "draft-publish": {},
        "draft-dismiss": {},
        "incident-update": {"status": "identified", "body": "Found the cause."},
        "incident-note": {"text": "Supplier says a disk filled up."},
        "maintenance-new": {
            "name": "Upgrade",
            "components": [component],
            "scheduled_for": "2030-01-05T22:00",
            "scheduled_until": "2030-01-06T02:00",
            "body": "Planned work on {systems}.",
        },
        "send-action": {},
        "broker-new": {
            "supplier": w["other_supplier"].pk,
            "nation": "england",
            "heartbeat_seconds": 30,
            "probes_per_minute": 60,
        },
        "broker-edit": {"heartbeat_seconds": 20, "probes_per_minute": 60, "t_bad_probes_to_worsen": 4},
        "token-issue": {"label": "supplier monitoring"},
        "token-revoke": {},
        "staff-new": {"username": "new.person", "email": "new@nhs.example", "role": "editor"},
        "staff-change": {"action": "role", "role": "editor"},
        "api-token-revoke": {},
        "account-token": {"label": "my tooling"},
        "account-token-revoke": {},
        "webhook-new": {"url": "https://hooks.example.org/other", "contact": "it@example.org"},
        "webhook-action": {},
    }.get(name)


def test_every_console_endpoint_declares_its_role():
    for pattern in urlpatterns:
        if pattern.name not in OPEN_TO_ALL:
            assert getattr(pattern.callback, "role", None) in Role.values, pattern.name


@pytest.mark.parametrize("role", [None, *Role.values])
@pytest.mark.parametrize("pattern", PAGES, ids=[p.name for p in PAGES])
def test_role_matrix(pattern, role, world, client):
    needed = pattern.callback.role
    if role:
        me = make_staff(f"as-{role}", role)
        client = signed_in(me)
        if pattern.name == "account-token-revoke":  # one's own token: nobody else's is in reach
            world["api_token"] = ApiToken.objects.create(user=me, digest="1" * 64, prefix="eps_staff_1111", label="x")
    url, data = url_for(pattern, world), post_data(pattern.name, world)
    before = AuditEntry.objects.count()
    response = client.post(url, data) if data is not None else client.get(url)
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith("/console/sign-in/")
    elif RANK[role] < RANK[needed]:
        assert response.status_code == 403
        assert AuditEntry.objects.count() == before  # refused: nothing written
    else:
        assert response.status_code in (200, 302), response.content[:2000]
        assert not response.get("Location", "").startswith("/console/sign-in/")
        if data is not None:
            entry = AuditEntry.objects.order_by("-id").first()
            assert AuditEntry.objects.count() > before, f"{pattern.name} wrote without an audit entry"
            assert entry.username == f"as-{role}" and entry.source_address == "127.0.0.1"


API_CASES = [
    ("GET", "api-incidents", Role.VIEWER, None),
    ("POST", "api-incidents", Role.EDITOR, "draft"),
    ("GET", "api-incident", Role.VIEWER, None),
    ("POST", "api-incident-update", Role.PUBLISHER, {"status": "identified", "body": "Found it."}),
    ("POST", "api-incident-note", Role.EDITOR, {"text": "Noted."}),
    ("POST", "api-draft-publish", Role.PUBLISHER, {}),
    ("POST", "api-maintenance", Role.EDITOR, "maintenance"),
    ("GET", "api-send", Role.VIEWER, None),
    ("POST", "api-send-action", Role.PUBLISHER, {}),
]


def test_every_api_endpoint_is_in_the_matrix():
    assert {name for _, name, _, _ in API_CASES} == API


@pytest.mark.parametrize("role", [None, *Role.values])
@pytest.mark.parametrize("method,name,needed,body", API_CASES, ids=[f"{m} {n}" for m, n, _, _ in API_CASES])
def test_api_role_matrix(method, name, needed, body, role, world, client):
    pattern = next(p for p in urlpatterns if p.name == name)
    headers = {}
    if role:
        user = make_staff(f"api-{role}", role)
        headers["Authorization"] = "Bearer " + staff_accounts.issue_api_token(_request(user), user, "tooling")
    component = world["broker"].component.code
    if body == "draft":
        body = {"name": "Problem", "components": [component], "body": "Investigating {where}."}
    elif body == "maintenance":
        body = {
            "name": "Upgrade",
            "components": [component],
            "scheduled_for": "2030-01-05T22:00",
            "scheduled_until": "2030-01-06T02:00",
            "body": "Planned work.",
        }
    before = AuditEntry.objects.count()
    url = url_for(pattern, world)
    if method == "GET":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, body, content_type="application/json", headers=headers)
    assert response["Content-Type"].startswith(("application/json", "application/problem+json"))
    if role is None:
        assert response.status_code == 401
    elif RANK[role] < RANK[needed]:
        assert response.status_code == 403 and "role" in response.json()["detail"]
    else:
        assert response.status_code in (200, 201), json.dumps(response.json())
        if method == "POST":
            assert AuditEntry.objects.filter(username=f"api-{role}", via="api").count() > 0
            assert AuditEntry.objects.count() > before


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def test_component_choices_leave_out_per_site_brokers(world):
    assert world["broker"].component in choosable_components()
    assert Component.objects.count() > 0
