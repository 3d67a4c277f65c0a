"""From a probe-opened draft to a published incident, its preview, updates and notes."""

import re

import pytest
from django.utils import timezone

from console.models import AuditEntry, InternalNote
from demo.subscribers import add_confirmed
from detection import drafts
from notifications.models import Delivery, Notice, Subscriber
from statuspage.models import Incident, IncidentDraft
from tests.factories import subscriber

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def draft(broker):
    drafts.on_status_change(broker, "major_outage", "Oldest prescription waiting 2 h", timezone.now())
    return IncidentDraft.objects.get(state="open")


@pytest.fixture
def patients(pharmacy):
    return [
        subscriber("+447700900301", scope="pharmacy", pharmacy=pharmacy),
        subscriber("+447700900302", scope="nation", nation="england"),
        add_confirmed("email", "someone@example.com", scope="all"),
        subscriber("+447700900304", scope="nation", nation="scotland"),
    ]


def form(draft, **changes):
    data = {
        "name": draft.name,
        "components": [c.pk for c in draft.components.all()],
        "component_status": "major_outage",
        "impact": "critical",
        "incident_status": "investigating",
        "body": "We know about a problem sending prescriptions {where}. {what_to_do}",
        "professional_guidance": "Print paper prescriptions for urgent items.",
        "internal_notes": "Supplier ticket INC-123; their on-call is Sam.",
    }
    data.update(changes)
    return data


def test_probe_opened_drafts_come_ready_to_publish(draft, broker):
    assert list(draft.components.all()) == [broker.component]
    assert "print a paper prescription" in draft.professional_guidance
    assert "You do not need to contact your GP practice" in draft.body


def test_the_dashboard_puts_waiting_drafts_first(draft, staff):
    html = staff("viewer").get("/console/").content.decode()
    assert html.index(draft.name) < html.index("Brokers")


def test_editing_a_draft_is_audited_with_before_and_after(draft, staff):
    editor = staff("editor")
    response = editor.post(f"/console/drafts/{draft.pk}/", form(draft, name="Pharmacy Manager down in England"))
    assert response.status_code == 302 and response["Location"] == f"/console/drafts/{draft.pk}/preview/"
    entry = AuditEntry.objects.get(action="draft.edit")
    assert entry.before["name"] == draft.name and entry.after["name"] == "Pharmacy Manager down in England"
    assert entry.username == editor.user.username


def test_a_template_replaces_the_notice_without_saving(draft, staff):
    response = staff("editor").post(
        f"/console/drafts/{draft.pk}/", {**form(draft), "template": "identified", "use_template": "1"}
    )
    assert response.status_code == 200
    assert "found the cause" in response.content.decode()
    assert response.context["form"]["incident_status"].value() == "identified"
    draft.refresh_from_db()
    assert "found the cause" not in draft.body
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"body": "Problem {wherever}"}, "Unknown placeholder {wherever}"),
        ({"body": "Problem {"}, "Use { and } only around a placeholder"),
        ({"components": [], "name": "x"}, "Choose at least one affected system"),
        ({"nations": ["wales"]}, "Choose both the suppliers and the nations"),
        ({"name": ""}, "This field is required"),
    ],
)
def test_bad_drafts_say_what_is_wrong_and_keep_nothing(draft, staff, changes, message):
    response = staff("editor").post(f"/console/drafts/{draft.pk}/", form(draft, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert IncidentDraft.objects.get(pk=draft.pk).body == draft.body


def test_suppliers_and_nations_choose_their_brokers(draft, broker, staff):
    scotland = broker.supplier.brokers.get(nation="scotland")
    data = form(draft, suppliers=[broker.supplier.pk], nations=["scotland"])
    assert staff("editor").post(f"/console/drafts/{draft.pk}/", data).status_code == 302
    assert set(IncidentDraft.objects.get(pk=draft.pk).components.all()) == {broker.component, scotland.component}


def test_preview_shows_text_email_audience_and_cost_and_keeps_nothing(draft, patients, staff, settings):
    settings.SMS_SEGMENT_PRICE_GBP = 0.05
    editor = staff("editor")
    editor.post(f"/console/drafts/{draft.pk}/", form(draft))
    incidents_before = Incident.objects.count()
    html = editor.get(f"/console/drafts/{draft.pk}/preview/").content.decode()
    assert Incident.objects.count() == incidents_before and not Notice.objects.exists()  # rolled back
    assert '<dd class="nhsuk-summary-list__value" id="sms-recipients">2 people</dd>' in html  # not Scotland
    assert '<dd class="nhsuk-summary-list__value" id="email-recipients">1 person</dd>' in html
    assert "£0.10 (2 × 1 segment)" in html
    assert '<dd class="nhsuk-summary-list__value" id="reach-time">under a minute at 10 texts a second</dd>' in html
    assert "GSM-7, 1 segment" in html and "You do not need to contact your GP practice" in html
    assert "Subject:</strong> Prescriptions to pharmacies in England that use Pharmacy Manager may be delayed" in html


def test_preview_says_how_long_reaching_everyone_takes_at_the_providers_rate(draft, patients, staff, settings):
    for n in range(150):
        add_confirmed("sms", f"+447700950{n:03d}", scope="all")
    settings.SMS_PER_SECOND = 2
    editor = staff("editor")
    editor.post(f"/console/drafts/{draft.pk}/", form(draft))
    html = editor.get(f"/console/drafts/{draft.pk}/preview/").content.decode()
    # 152 texts, one segment each, 1 a second leaving (the bucket stays under the rate of 2)
    assert '<dd class="nhsuk-summary-list__value" id="reach-time">about 3 min at 2 texts a second</dd>' in html


def test_the_preview_frame_is_the_public_page_with_the_filled_notice(draft, staff):
    editor = staff("editor")
    editor.post(f"/console/drafts/{draft.pk}/", form(draft))
    page = editor.get(f"/console/drafts/{draft.pk}/preview/page/")
    html = page.content.decode()
    assert "We know about a problem sending prescriptions to pharmacies in England that use Pharmacy Manager" in html
    assert "Print paper prescriptions for urgent items." in html  # for practices and pharmacies
    assert "INC-123" not in html  # internal notes never reach a public page
    assert "frame-ancestors 'self'" in page["Content-Security-Policy"] and page["X-Frame-Options"] == "SAMEORIGIN"


def test_publishing_makes_it_public_and_texts_the_affected(
    draft, patients, staff, client, django_capture_on_commit_callbacks
):
    staff("editor").post(f"/console/drafts/{draft.pk}/", form(draft))
    publisher = staff("publisher")
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher.post(f"/console/drafts/{draft.pk}/publish/")
    incident = Incident.objects.get()
    assert response["Location"] == f"/console/incidents/{incident.code}/"
    public = client.get(incident.get_absolute_url()).content.decode()
    assert "pharmacies in England that use Pharmacy Manager" in public and "INC-123" not in public
    assert "INC-123" not in client.get("/api/v2/incidents.json").content.decode()
    assert InternalNote.objects.get(incident=incident).text.startswith("Supplier ticket")
    notice = Notice.objects.get(incident=incident)
    assert notice.requested_by == publisher.user and notice.recipients == 3
    assert Delivery.objects.filter(notice=notice).count() == 3


def test_a_draft_publishes_once_however_many_click(draft, staff):
    first, second = staff("publisher"), staff("publisher")
    first.post(f"/console/drafts/{draft.pk}/publish/")
    response = second.post(f"/console/drafts/{draft.pk}/publish/", follow=True)
    assert Incident.objects.count() == 1
    assert "Someone published this draft a moment ago" in response.content.decode()


def test_an_incident_from_scratch(broker, staff):
    editor = staff("editor")
    data = {
        "name": "Spine slow",
        "suppliers": [broker.supplier.pk],
        "nations": ["england", "wales"],
        "component_status": "degraded_performance",
        "impact": "minor",
        "incident_status": "identified",
        "body": "Prescriptions {where} are slow.",
    }
    response = editor.post("/console/incidents/new/", data)
    created = IncidentDraft.objects.get(broker__isnull=True)
    assert response["Location"] == f"/console/drafts/{created.pk}/preview/"
    staff("publisher").post(f"/console/drafts/{created.pk}/publish/")
    incident = Incident.objects.get()
    assert incident.status == "identified" and incident.components.count() == 2
    assert "England" in incident.updates.get().body and "Wales" in incident.updates.get().body


def test_resolving_tells_the_same_people(draft, patients, staff, django_capture_on_commit_callbacks):
    publisher = staff("publisher")
    with django_capture_on_commit_callbacks(execute=True):
        publisher.post(f"/console/drafts/{draft.pk}/publish/")
    incident = Incident.objects.get()
    told = set(Delivery.objects.values_list("subscriber_id", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher.post(
            f"/console/incidents/{incident.code}/update/",
            {"status": "resolved", "body": "The problem {where} is fixed.", "component_status": "operational"},
        )
    assert response.status_code == 302
    resolution = Notice.objects.get(kind="resolution")
    assert set(resolution.deliveries.values_list("subscriber_id", flat=True)) == told
    incident.refresh_from_db()
    assert incident.status == "resolved" and incident.components.get().status == "operational"


def test_internal_notes_are_added_and_audited(draft, staff):
    staff("publisher").post(f"/console/drafts/{draft.pk}/publish/")
    incident = Incident.objects.get()
    response = staff("editor").post(f"/console/incidents/{incident.code}/notes/", {"text": "Called the supplier."})
    assert response.status_code == 302
    assert InternalNote.objects.filter(text="Called the supplier.").exists()
    assert AuditEntry.objects.filter(action="incident.note", incident=incident).exists()


def test_dismissing_publishes_nothing(draft, staff):
    staff("editor").post(f"/console/drafts/{draft.pk}/dismiss/")
    assert IncidentDraft.objects.get().state == "dismissed" and not Incident.objects.exists()


def test_the_preview_shows_the_welsh_text_and_counts_its_own_segments(draft, patients, staff, settings):
    settings.SMS_SEGMENT_PRICE_GBP = 0.05
    welsh = Subscriber.objects.filter(channel="sms").exclude(subscriptions__nation="scotland").first()
    welsh.language = "cy"
    welsh.save()
    editor = staff("editor")
    editor.post(f"/console/drafts/{draft.pk}/", form(draft))
    html = editor.get(f"/console/drafts/{draft.pk}/preview/").content.decode()
    assert 'id="sms-preview-cy" lang="cy"' in html
    segments = re.search(r"(?:GSM-7|UCS-2), (\d) segments?, to 1 person who chose Welsh", html)
    assert segments, html
    welsh_segments = int(segments.group(1))
    assert welsh_segments <= 2
    assert f"(1 × 1 segment in English, 1 × {welsh_segments} in Welsh)" in html
    assert f"£{0.05 * (1 + welsh_segments):.2f}" in html


def test_the_fixed_template_also_sets_resolved_and_the_systems_working(draft, staff):
    publisher = staff("publisher")
    publisher.post(f"/console/drafts/{draft.pk}/", form(draft))
    publisher.post(f"/console/drafts/{draft.pk}/publish/")
    incident = Incident.objects.get()
    response = publisher.post(
        f"/console/incidents/{incident.code}/update/",
        {"status": "investigating", "body": "", "template": "resolved", "use_template": "1"},
    )
    form_shown = response.context["form"]
    assert form_shown["status"].value() == "resolved"
    assert form_shown["component_status"].value() == "operational"
    assert "is fixed" in form_shown["body"].value()
    assert Incident.objects.get().status == "investigating"  # nothing published until they press Publish
