"""Someone who confirms while a problem is open is told at once, and told when it is fixed."""

import pytest

from notifications import newcomers
from notifications.channels.base import DeliveryError
from notifications.tasks import tell_newcomer
from statuspage.publishing import post_update
from tests.factories import declare, subscriber

pytestmark = pytest.mark.django_db

LATE = "+447700900110"


def texts_to(fake, number: str) -> list[str]:
    return [m["body"] for m in fake.messages if m["to"] == number]


def test_a_newcomer_during_an_outage_is_told_at_once_and_told_when_it_is_fixed(
    broker, pharmacy, people, fake_twilio_api, django_capture_on_commit_callbacks
):
    incident = declare(broker, django_capture_on_commit_callbacks)
    late = subscriber(LATE, scope="pharmacy", pharmacy=pharmacy)
    tell_newcomer(late.pk)
    [now] = texts_to(fake_twilio_api, LATE)
    assert "need to contact your GP" in now
    with django_capture_on_commit_callbacks(execute=True):
        post_update(incident, "resolved", "Fixed.", {broker.component: "operational"})
    assert len(texts_to(fake_twilio_api, LATE)) == 2
    assert "arriving again" in texts_to(fake_twilio_api, LATE)[1]


def test_telling_a_newcomer_twice_sends_once(
    broker, pharmacy, people, fake_twilio_api, django_capture_on_commit_callbacks
):
    declare(broker, django_capture_on_commit_callbacks)
    late = subscriber(LATE, scope="nation", nation="england")
    assert newcomers.tell(late.pk) == 1
    assert newcomers.tell(late.pk) == 0
    assert len(texts_to(fake_twilio_api, LATE)) == 1


def test_a_newcomer_the_problem_does_not_reach_and_one_already_told_hear_nothing_more(
    broker, people, fake_twilio_api, django_capture_on_commit_callbacks
):
    declare(broker, django_capture_on_commit_callbacks)
    elsewhere = subscriber(LATE, scope="nation", nation="scotland")
    assert newcomers.tell(elsewhere.pk) == 0
    assert newcomers.tell(people["mine"].pk) == 0  # had the alert itself
    assert texts_to(fake_twilio_api, LATE) == [] and len(texts_to(fake_twilio_api, "+447700900101")) == 1


def test_with_nothing_open_a_newcomer_gets_only_their_confirmation(broker, pharmacy, fake_twilio_api):
    late = subscriber(LATE, scope="pharmacy", pharmacy=pharmacy)
    assert newcomers.tell(late.pk) == 0
    assert fake_twilio_api.messages == []


def test_a_newcomer_whose_text_fails_for_now_is_tried_again(
    broker, pharmacy, people, fake_twilio_api, django_capture_on_commit_callbacks
):

    declare(broker, django_capture_on_commit_callbacks)
    late = subscriber(LATE, scope="pharmacy", pharmacy=pharmacy)
    fake_twilio_api.configure({"fail": "500"})
    with pytest.raises(DeliveryError):
        newcomers.tell(late.pk)
    fake_twilio_api.configure({"fail": None})
    assert newcomers.tell(late.pk) == 1
    assert len(texts_to(fake_twilio_api, LATE)) == 1
