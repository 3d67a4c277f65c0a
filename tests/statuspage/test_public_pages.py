import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from statuspage.models import Component, Incident
from statuspage.publishing import open_incident, post_update
from statuspage.templatetags.status_tags import INCIDENT_COLOUR
from statuspage.transitions import set_component_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def apotec_slow(demo):
    """Something happening now: Apotec CRM slow in Northern Ireland, published 35 minutes ago."""
    component = Component.objects.get(slug="apotec-northern-ireland")
    return open_incident(
        "Prescriptions slower to reach pharmacies in Northern Ireland that use Apotec CRM",
        "Prescriptions are taking longer than usual. Your prescription is safe.",
        "minor",
        {component: "degraded_performance"},
        at=timezone.now() - timezone.timedelta(minutes=35),
    )


def test_the_status_page_tells_a_patient_what_to_do(client, demo, apotec_slow):
    html = client.get("/").content.decode()
    assert "Prescriptions are slow to reach some pharmacies in Northern Ireland</h2>" in html
    assert "You do not need to contact your GP practice" in html
    # The incident itself, under "Current problems".
    assert apotec_slow.name in html
    assert "Planned NHS Spine maintenance" in html
    # A bar for every showcased component: the groups, and the national services within theirs.
    showcased = Component.objects.filter(showcase=True, only_show_if_degraded=False)
    assert showcased.filter(group__isnull=False).exists()
    assert html.count('class="uptime__bar"') == showcased.count()
    for group in Component.objects.top_level():
        assert group.name in html


def test_all_working_says_so_plainly(client, demo, apotec_slow):
    incident = Incident.objects.unresolved().get()
    post_update(incident, "resolved", "Fixed.", {c: "operational" for c in incident.components.all()})
    html = client.get("/").content.decode()
    assert "All systems are working" in html
    assert "What this means for you" not in html


@pytest.mark.django_db(transaction=True)
def test_a_pharmacys_own_broker_appears_only_while_it_has_a_problem(client, demo):
    site = Component.objects.filter(only_show_if_degraded=True).first()
    assert site.name not in client.get("/").content.decode()
    set_component_status(site, "major_outage", "no probes")
    assert site.name in client.get("/").content.decode()


def test_times_are_shown_in_uk_time(client, demo, apotec_slow):
    incident = Incident.objects.unresolved().get()
    html = client.get(incident.get_absolute_url()).content.decode()

    local = timezone.localtime(incident.started_at)
    hour = (local.hour % 12) or 12
    assert f"{hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}" in html


def test_each_incident_has_a_permalink_with_its_timeline(client, demo):
    replay = Incident.objects.get(name__contains="England that use Pharmacy Manager")
    html = client.get(f"/incidents/{replay.code}/").content.decode()
    assert replay.name in html
    assert html.count('class="timeline__item"') == replay.updates.count()
    assert "Pharmacy Manager (Cegedim) in England" in html


def test_each_component_has_a_page(client, demo):
    c = Component.objects.get(slug="cegedim-pharmacy-manager-england")
    html = client.get(c.get_absolute_url()).content.decode()
    assert "Prescriptions are being sent normally." in html
    assert 'class="uptime__bar"' in html
    assert "Prescriptions not reaching pharmacies in England that use Pharmacy Manager" in html


def test_history_lists_past_incidents_and_maintenance(client, demo):
    html = client.get(reverse("history")).content.decode()
    assert "Slow responses from NHS Spine" in html
    assert "Planned NHS Spine upgrade" in html


def test_history_updates_itself_and_says_so(client, demo):
    full = client.get(reverse("history")).content.decode()
    assert 'hx-get="/history/" hx-trigger="every 30s"' in full
    assert "This page updates by itself every 30 seconds." in full
    fragment = client.get(reverse("history"), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="live"') and "Slow responses from NHS Spine" in fragment


@pytest.mark.parametrize("path", ["/subscribe/", "/pharmacies/", "/webhooks/"])
def test_pages_that_never_refresh_do_not_claim_to(client, demo, path):
    html = client.get(path).content.decode()
    assert "every 30s" not in html and "updates by itself" not in html
    assert "Times are UK time." in html


@pytest.mark.parametrize("path", ["/incidents/nosuchthing/", "/components/no-such-component/"])
def test_unknown_things_are_404(client, demo, path):
    assert client.get(path).status_code == 404


def test_htmx_gets_only_the_live_part(client, demo):
    full = client.get("/").content.decode()
    part = client.get("/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full and "<html" not in part
    assert part.lstrip().startswith('<div id="live"')
    assert "Is the Electronic Prescription Service working?" not in part


def test_only_get_and_head_are_allowed(client, demo):
    assert client.post("/").status_code == 405
    assert client.head("/").status_code == 200


def test_the_load_balancer_health_check(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_the_health_check_says_503_when_the_database_is_gone(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_no_incident_stage_is_shown_as_an_alarm(client, demo):
    assert "red" not in INCIDENT_COLOUR.values() and INCIDENT_COLOUR["investigating"] == "blue"
    # The history shows only incidents' stages: none of them red.
    html = client.get(reverse("history")).content.decode()
    assert "nhsuk-tag--" in html and "nhsuk-tag--red" not in html
