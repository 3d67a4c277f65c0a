"""Fan-outs in the console: the two-person rule, live progress, pause, resume and cancel."""

import pytest
from django.utils import timezone

from console.models import AuditEntry
from detection import drafts
from notifications import delivery, fanout
from notifications.models import Delivery, Notice
from statuspage.models import IncidentDraft
from tests.factories import subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(broker, pharmacy):
    for n in range(3):
        subscriber(f"+44770090040{n}", scope="pharmacy", pharmacy=pharmacy)
    drafts.on_status_change(broker, "major_outage", "Failing", timezone.now())
    return IncidentDraft.objects.get(state="open")


def publish(client, draft, capture):
    with capture(execute=True):
        client.post(f"/console/drafts/{draft.pk}/publish/")
    delivery.sweep()  # the periodic sweep closes a notice once nothing is left to send
    return Notice.objects.get()


def test_a_big_send_waits_for_a_second_publisher(draft, staff, settings, django_capture_on_commit_callbacks):
    settings.TWO_PERSON_RULE_RECIPIENTS = 2
    first, second = staff("publisher"), staff("publisher")
    notice = publish(first, draft, django_capture_on_commit_callbacks)
    assert notice.state == "held" and notice.recipients == 3
    assert not Delivery.objects.exists()
    assert "Waiting for a second publisher" in first.get("/console/").content.decode()

    response = first.post(f"/console/sends/{notice.pk}/approve/", follow=True)
    assert "A second publisher must approve this send" in response.content.decode()
    assert Notice.objects.get().state == "held"

    with django_capture_on_commit_callbacks(execute=True):
        second.post(f"/console/sends/{notice.pk}/approve/")
    delivery.sweep()
    notice.refresh_from_db()
    assert notice.approved_by == second.user and notice.state == "done"
    assert Delivery.objects.filter(state="sent").count() == 3
    assert AuditEntry.objects.get(action="send.approve").username == second.user.username


def test_a_small_send_goes_at_once(draft, staff, django_capture_on_commit_callbacks):
    notice = publish(staff("publisher"), draft, django_capture_on_commit_callbacks)
    assert notice.state == "done" and Delivery.objects.filter(state="sent").count() == 3


def test_progress_is_a_live_fragment_that_stops_polling_when_done(draft, staff, django_capture_on_commit_callbacks):
    notice = publish(staff("publisher"), draft, django_capture_on_commit_callbacks)
    viewer = staff("viewer")
    page = viewer.get(f"/console/sends/{notice.pk}/").content.decode()
    assert '<dd class="nhsuk-summary-list__value" id="planned">3</dd>' in page
    fragment = viewer.get(f"/console/sends/{notice.pk}/", headers={"HX-Request": "true"})
    assert fragment.status_code == 286  # htmx: stop polling
    assert fragment.content.decode().lstrip().startswith('<div id="progress"')


def test_pause_resume_cancel(draft, staff, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    publisher = staff("publisher")
    publisher.post(f"/console/drafts/{draft.pk}/publish/")  # on_commit never runs here: nothing planned yet
    notice = Notice.objects.get()
    Notice.objects.filter(pk=notice.pk).update(state="sending")
    for action, state in (("pause", "paused"), ("resume", "sending"), ("cancel", "cancelled")):
        publisher.post(f"/console/sends/{notice.pk}/{action}/")
        notice.refresh_from_db()
        assert notice.state == state
    assert [e.action for e in AuditEntry.objects.order_by("id") if e.action.startswith("send.")] == [
        "send.pause",
        "send.resume",
        "send.cancel",
    ]


def test_a_send_in_progress_shows_when_it_will_finish_at_the_providers_rate(draft, staff, settings):
    settings.SMS_PER_SECOND = 1
    publisher = staff("publisher")
    publisher.post(f"/console/drafts/{draft.pk}/publish/")  # on_commit never runs here: nothing sent yet
    notice = Notice.objects.get()
    fanout.plan(notice.pk)
    page = staff("viewer").get(f"/console/sends/{notice.pk}/").content.decode()
    # Three texts waiting, one segment each, one a second: about three seconds
    assert 'id="finish">' in page and "(under a minute from now, at 1 text a second)" in page
    fanout.pause(notice.pk)
    assert 'id="finish"' not in staff("viewer").get(f"/console/sends/{notice.pk}/").content.decode()


def test_unknown_actions_are_refused_without_a_change(draft, staff, django_capture_on_commit_callbacks):
    notice = publish(staff("publisher"), draft, django_capture_on_commit_callbacks)
    response = staff("publisher").post(f"/console/sends/{notice.pk}/explode/", follow=True)
    assert "Unknown action" in response.content.decode()


def test_the_send_list_refreshes_itself_while_anything_is_on_its_way(draft, staff, django_capture_on_commit_callbacks):
    viewer = staff("viewer")
    assert "every 5s" not in viewer.get("/console/sends/").content.decode()  # nothing yet: no polling
    publisher = staff("publisher")
    publish(publisher, draft, django_capture_on_commit_callbacks)
    Notice.objects.update(state=Notice.State.PENDING)
    html = viewer.get("/console/sends/").content.decode()
    assert 'hx-get="/console/sends/" hx-trigger="every 5s"' in html and "Waiting to be planned" in html
    fragment = viewer.get("/console/sends/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="live"')
    Notice.objects.update(state=Notice.State.DONE)
    assert "every 5s" not in viewer.get("/console/sends/").content.decode()  # all done: it stops asking
