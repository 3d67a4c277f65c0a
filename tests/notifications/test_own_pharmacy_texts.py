"""A patient who follows a pharmacy is told about that pharmacy by name, from the NHS, in one segment."""

import pytest
from django.utils.translation import override

from notifications import audience, delivery, fanout, notice_words, wording
from notifications.models import Notice
from notifications.segments import count
from statuspage.models import Pharmacy
from statuspage.publishing import post_update
from tests import factories
from tests.factories import declare
from tests.fake_twilio_fixtures import SITE

pytestmark = pytest.mark.django_db


def _send(notice: Notice) -> None:
    for first_id, last_id in fanout.plan(notice.pk):
        delivery.send_batch(notice.pk, first_id, last_id)


def _texts_to(fake_twilio_api) -> dict[str, str]:
    return {m["to"]: m["body"] for m in fake_twilio_api.messages}


def test_the_alert_and_the_fix_name_the_patients_own_pharmacy(
    broker, people, fake_twilio_api, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    incident = declare(broker, django_capture_on_commit_callbacks)
    _send(Notice.objects.get(incident=incident))
    texts = _texts_to(fake_twilio_api)
    mine = texts["+447700900101"]
    assert mine.startswith("NHS: prescriptions to Station Pharmacy may be delayed.")
    assert "no need to contact your GP" in mine
    assert count(mine).count == 1 and count(mine).encoding == "GSM-7"
    # Someone following all of England is told about the system, as before.
    assert "Pharmacy Manager pharmacies in England" in texts["+447700900102"]
    # Wales's pharmacies are on Wales's broker: that follower hears nothing.
    assert "+447700900104" not in texts

    fake_twilio_api.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        update = post_update(incident, "resolved", "Fixed.", {broker.component: "operational"})
    _send(Notice.objects.get(update=update))
    fixed = _texts_to(fake_twilio_api)["+447700900101"]
    assert fixed.startswith("NHS: prescriptions to Station Pharmacy are arriving again.")


def test_someone_following_two_affected_pharmacies_is_told_how_many(
    broker, people, pharmacy, django_capture_on_commit_callbacks
):
    other = factories.pharmacy(broker.supplier, "FX111", "Market Pharmacy", "LS2 7AA")
    elsewhere = Pharmacy.objects.get(ods_code="FA123")  # in Wales, on Wales's broker
    incident = declare(broker, django_capture_on_commit_callbacks)
    notice = Notice.objects.select_related("incident", "update").get(incident=incident)
    reach = audience.reach(audience.affected(notice.components.all()))
    words = notice_words.for_patient(notice, [pharmacy, other, elsewhere], reach, "en")
    assert words.sms.startswith("NHS: prescriptions to 2 pharmacies you follow may be delayed.")
    assert notice_words.for_patient(notice, [elsewhere], reach, "en") is None


def test_a_welsh_reader_is_told_about_their_pharmacy_in_welsh(
    broker, people, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    incident = declare(broker, django_capture_on_commit_callbacks)
    notice = Notice.objects.select_related("incident", "update").get(incident=incident)
    reader = people["mine"]
    reader.language = "cy"
    reach = audience.reach(audience.affected(notice.components.all()))
    text = delivery.message(notice, reader, list(Pharmacy.objects.filter(ods_code="FW844")), reach).body
    assert text.startswith("GIG: ") and "Station Pharmacy" in text and count(text).count <= 2


def test_every_text_for_the_longest_pharmacy_name_in_the_data_fits(demo, settings):
    """English in one GSM-7 segment, Welsh in at most two (docs/notifications.md says why not one)."""
    settings.SITE_URL = "https://status.eps.nhs.uk"
    longest = max(Pharmacy.objects.all(), key=lambda p: len(p.name))
    link = "https://status.eps.nhs.uk/i/abc123def456"
    for language, most in (("en", 1), ("cy", 2)):
        what = notice_words.theirs([longest], language)
        with override(language):
            for sms in (wording.alert(what, link, what).sms, wording.resolution(what, link, what).sms):
                assert count(sms).count <= most, (language, sms)
                assert sms.startswith("NHS: " if language == "en" else "GIG: ")
                assert longest.name in sms
