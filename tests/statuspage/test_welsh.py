"""Welsh: every patient page and text in English or Welsh, as the reader chooses."""

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import polib
import pytest
from django.core.cache import cache
from django.utils import timezone

from detection import drafts
from statuspage import maintenance, response_cache
from statuspage.models import IncidentDraft
from statuspage.publishing import open_incident, schedule_maintenance
from statuspage.status import MaintenanceStatus
from statuspage.transitions import set_component_status

pytestmark = pytest.mark.django_db
PO = Path(__file__).resolve().parents[2] / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def test_every_message_has_its_welsh_and_the_compiled_catalogue_is_current():
    po = polib.pofile(str(PO))
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(PO.with_suffix(".mo")))}
    for entry in po.translated_entries():
        assert compiled[(entry.msgctxt, entry.msgid)] == (entry.msgstr or entry.msgstr_plural), entry.msgid


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(PO)):
        wanted = set(re.findall(r"%\(\w+\)[sd]", entry.msgid))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                assert set(re.findall(r"%\(\w+\)[sd]", text)) == wanted, entry.msgid


@pytest.mark.parametrize(
    "path, welsh",
    [
        ("/cy/", "Ydy'r Gwasanaeth Presgripsiynau Electronig yn gweithio?"),
        ("/cy/history/", "Problemau a gwaith cynnal a chadw blaenorol"),
        ("/cy/pharmacies/", "Ydy hyn yn effeithio ar fy fferyllfa?"),
        ("/cy/subscribe/", "Cael neges destun neu e-bost os bydd oedi gyda'ch presgripsiynau"),
    ],
)
def test_welsh_pages_are_in_welsh_and_say_so(client, demo, path, welsh):
    response = client.get(path)
    html = unescape(response.content.decode())
    assert response.status_code == 200 and welsh in html
    assert '<html lang="cy">' in html and response["Content-Language"] == "cy"
    # The switch goes to the same page in English; links stay in Welsh.
    english = path.removeprefix("/cy")
    assert f'href="{english}" hreflang="en" lang="en">English</a>' in html
    assert 'href="/cy/history/"' in html


def test_english_pages_offer_welsh_and_ignore_the_browsers_language(client, demo):
    response = client.get("/", headers={"Accept-Language": "cy"})
    html = response.content.decode()
    assert "Is the Electronic Prescription Service working?" in html and '<html lang="en-GB">' in html
    assert 'href="/cy/" hreflang="cy" lang="cy">Cymraeg</a>' in html
    assert "Accept-Language" not in response.get("Vary", "")


@pytest.mark.django_db(transaction=True)
def test_the_pharmacy_answer_in_welsh(client, pharmacy, broker):
    set_component_status(broker.component, "major_outage", "down")
    html = unescape(client.get("/cy/pharmacies/FW844/").content.decode())
    assert "Mae Pharmacy Manager, y system a ddefnyddir gan Station Pharmacy, ddim yn gweithio" in html
    assert "does dim angen i chi gysylltu â'ch meddygfa" in html
    assert 'href="/cy/subscribe/?pharmacy=FW844"' in html


def test_an_incident_ops_wrote_only_in_english_is_marked_as_english_on_the_welsh_page(client, broker):
    incident = open_incident(
        "Spine slow", "We are looking into it.", "minor", {broker.component: "degraded_performance"}
    )
    html = client.get(f"/cy/incidents/{incident.code}/").content.decode()
    assert '<span lang="en">Spine slow</span>' in html and '<span lang="en">We are looking into it.</span>' in html
    incident.name_cy = "Spine yn araf"
    incident.save()

    cache.clear()
    response_cache.forget_local()
    assert "Spine yn araf" in client.get(f"/cy/incidents/{incident.code}/").content.decode()


def test_a_probe_opened_draft_and_its_holding_notice_come_in_both_languages(broker):
    drafts.on_status_change(broker, "major_outage", "Spine unreachable", timezone.now())
    draft = IncidentDraft.objects.get()
    assert draft.name == "Problem sending prescriptions to pharmacies in England that use Pharmacy Manager"
    assert draft.name_cy == "Problem wrth anfon presgripsiynau i fferyllfeydd yn Lloegr sy'n defnyddio Pharmacy Manager"
    assert "Does dim angen i chi gysylltu â'ch meddygfa" in draft.body_cy
    assert "Does dim problem i fferyllfeydd yn Yr Alban, Cymru a Gogledd Iwerddon." in draft.body_cy


def test_pages_only_in_english_offer_no_welsh_link(client, db):
    assert 'hreflang="cy"' not in client.get("/webhooks/").content.decode()


def test_scheduled_maintenance_starts_and_finishes_in_both_languages(broker):
    begin = timezone.now() - timedelta(minutes=1)
    work = schedule_maintenance("Upgrade", "Planned.", [broker.component], begin, begin + timedelta(hours=1))
    maintenance.advance(timezone.now())
    started = work.updates.get(status=MaintenanceStatus.IN_PROGRESS)
    assert started.body.startswith("Planned work has started.")
    assert started.body_cy.startswith("Mae'r gwaith wedi'i gynllunio wedi dechrau.")
    maintenance.advance(begin + timedelta(hours=2))
    finished = work.updates.get(status=MaintenanceStatus.COMPLETED)
    assert finished.body_cy == "Mae'r gwaith wedi'i gynllunio wedi gorffen. Mae popeth yn gweithio'n arferol."


def test_the_welsh_history_names_its_months_in_welsh(client, broker):
    at = timezone.localtime(timezone.now() - timedelta(days=1))
    open_incident("Spine slow", "Looking.", "minor", {broker.component: "degraded_performance"}, at=at)
    welsh = client.get("/cy/history/").content.decode()
    english = client.get("/history/").content.decode()
    assert f"{WELSH_MONTHS[at.month - 1]} {at.year}" in welsh
    assert ENGLISH_MONTHS[at.month - 1] not in welsh
    assert f"{ENGLISH_MONTHS[at.month - 1]} {at.year}" in english


ENGLISH_MONTHS = "January February March April May June July August September October November December".split()
WELSH_MONTHS = "Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr".split()


def test_the_welsh_pharmacy_page_links_the_incident_by_its_welsh_title(client, pharmacy, broker):
    incident = open_incident("Pharmacy Manager down", "Looking.", "major", {broker.component: "major_outage"})
    incident.name_cy = "Pharmacy Manager ddim yn gweithio"
    incident.save()
    cache.clear()
    response_cache.forget_local()
    html = client.get("/cy/pharmacies/FW844/").content.decode()
    assert "Pharmacy Manager ddim yn gweithio" in html and "Pharmacy Manager down" not in html


def test_system_names_only_in_english_are_marked_as_english_on_welsh_pages(client, demo):
    welsh = client.get("/cy/").content.decode()
    names = re.findall(r'id="system-[^"]+"><a href="[^"]+">(.*?)</a>', welsh)
    assert names and all(n.startswith('<span lang="en">') for n in names)
    english = client.get("/").content.decode()
    assert not re.search(r'id="system-[^"]+"><a href="[^"]+"><span lang="en">', english)
