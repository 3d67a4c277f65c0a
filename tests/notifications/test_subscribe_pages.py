"""Subscribing on the web: double opt-in by code or link; see, stop and delete through a signed link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from notifications import signup
from notifications.models import Subscriber, Subscription

pytestmark = pytest.mark.django_db
NUMBER = "+447700900321"


def ask(client, **fields):
    """Sign up from the subscribe form; upper-case keyword arguments are request headers (REMOTE_ADDR...)."""
    meta = {k: v for k, v in fields.items() if k.isupper()}
    data = {"follow": "pharmacy", "pharmacy": "FW844", "channel": "sms", "sms_address": "07700 900321"}
    data.update({k: v for k, v in fields.items() if not k.isupper()})
    return client.post("/subscribe/", data, **meta)


@pytest.mark.parametrize("query", ["FW844", "fw844", "LS1 4AP", "ls14ap", "LS1", "station", "Station Pharm"])
def test_the_pharmacy_search_forgives_case_spaces_and_partial_names(client, pharmacy, query):
    response = client.get("/subscribe/", {"q": query})
    assert b'value="FW844"' in response.content


def test_the_search_answers_htmx_with_just_the_results(client, pharmacy):
    response = client.get("/subscribe/", {"q": "FW844"}, headers={"HX-Request": "true"})
    assert response.content.lstrip().startswith(b'<div id="pharmacy-results"')


def test_a_texted_code_confirms_and_leads_to_the_manage_page(
    client, pharmacy, fake_twilio_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client)
    assert response.status_code == 302 and response["Location"] == "/subscribe/check/?by=sms"
    [text] = fake_twilio_api.messages
    assert text["to"] == NUMBER
    code = re.search(r"\b(\d{6})\b", text["body"]).group(1)
    response = client.post("/subscribe/check/", {"code": code})
    assert response.status_code == 302 and "/subscribe/manage/" in response["Location"]
    page = client.get(response["Location"])
    assert "07••• •••321".encode() in page.content and b"Station Pharmacy" in page.content
    assert NUMBER.encode() not in page.content and b"900321" not in page.content  # masked: the link may leak
    assert Subscriber.objects.get().state == "active"
    assert Subscription.objects.get().confirmed_at is not None


def test_a_wrong_code_is_refused_and_five_wrong_tries_kill_the_code(
    client, pharmacy, fake_twilio_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client)
    code = re.search(r"\b(\d{6})\b", fake_twilio_api.messages[0]["body"]).group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert client.post("/subscribe/check/", {"code": wrong}).status_code == 400
    assert client.post("/subscribe/check/", {"code": code}).status_code == 400
    assert Subscriber.objects.get().state == "pending"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sms_address": "020 7946 0000"}, b"landline"),
        ({"sms_address": "07700\u200b900321"}, b"hidden character"),
        ({"channel": "email", "email_address": "not-an-email"}, b"correct format"),
        ({"pharmacy": ""}, b"choose your pharmacy"),
        ({"follow": "nation", "nation": "atlantis"}, b"Choose a nation"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client, pharmacy, fields, message):
    response = ask(client, **fields)
    assert response.status_code == 400
    assert message in response.content and b"There is a problem" in response.content
    assert not Subscriber.objects.exists()


def test_the_answer_is_the_same_for_a_known_and_a_new_number(
    client, pharmacy, fake_twilio_api, django_capture_on_commit_callbacks
):
    first = ask(client)
    again = ask(client)
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"])


def test_a_burst_of_codes_to_one_number_is_capped_silently(
    client, pharmacy, fake_twilio_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            assert ask(client).status_code == 302
    assert len(fake_twilio_api.messages) == signup.PER_NUMBER


def test_one_client_trying_many_numbers_is_told_to_wait(client, pharmacy):
    for n in range(signup.PER_CLIENT):
        assert ask(client, sms_address=f"07700 900{n:03d}").status_code == 302
    assert ask(client, sms_address="07700 900999").status_code == 429


def test_email_is_confirmed_by_a_button_behind_the_link(client, pharmacy, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, channel="email", email_address="Pat@Example.com")
    [email] = mail.outbox
    link = re.search(r"http://testserver(/subscribe/confirm/\S+/)", email.body).group(1)
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.get(link).status_code == 200
    assert Subscriber.objects.get().state == "pending"  # opening the link alone (a mail scanner) confirms nothing
    assert client.post(link).status_code == 302
    assert Subscriber.objects.get().state == "active"


def test_the_manage_link_stops_and_deletes(client, pharmacy):
    subscriber_id = signup.start("sms", NUMBER, [signup.Follow("pharmacy", pharmacy.pk)], client="t")
    signup.activate(subscriber_id)
    page = f"/subscribe/manage/{signup.manage_token(Subscriber.objects.get(pk=subscriber_id))}/"
    client.post(page, {"action": "stop"})
    assert Subscriber.objects.get().state == "opted_out"
    assert b"deleted" in client.post(page, {"action": "delete"}).content
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert client.get(page).status_code == 404


def test_one_click_unsubscribe_works_without_a_csrf_token(pharmacy):
    subscriber_id = signup.start("email", "pat@example.com", [signup.Follow("all")], client="t")
    signup.activate(subscriber_id)
    response = Client(enforce_csrf_checks=True).post(
        f"/subscribe/unsubscribe/{signup.unsubscribe_token(Subscriber.objects.get(pk=subscriber_id))}/",
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().state == "opted_out"


def test_a_forged_manage_link_shows_nothing(client, pharmacy):
    assert client.get("/subscribe/manage/1:forged/").status_code == 404


def test_the_address_is_encrypted_at_rest(pharmacy):
    signup.start("sms", NUMBER, [signup.Follow("all")], client="t")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notifications_subscriber")
        row = cursor.fetchone()
    assert not any(NUMBER in str(value) or "7700900321" in str(value) for value in row)
    assert Subscriber.objects.get().address == NUMBER


def test_unconfirmed_sign_ups_are_deleted_after_24_hours(pharmacy):
    signup.start("sms", NUMBER, [signup.Follow("all")], client="t")
    assert signup.forget_unconfirmed(timezone.now() + timedelta(hours=23)) == 0
    assert signup.forget_unconfirmed(timezone.now() + timedelta(hours=25)) > 0
    assert not Subscriber.objects.exists()


def test_an_empty_search_says_what_to_enter(client, pharmacy):
    response = client.post("/subscribe/", {"follow": "pharmacy", "q": "  ", "find": "1"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#q"' in html and "Enter your pharmacy&#x27;s name, postcode or ODS code" in html


def test_check_your_phone_names_the_number_masked_and_offers_a_change(client, pharmacy):
    ask(client, sms_address="07700 900123")
    html = client.get("/subscribe/check/?by=sms").content.decode()
    assert "07••• •••123" in html and "900123" not in html
    assert 'href="/subscribe/?pharmacy=FW844"' in html and "Change mobile number" in html
    # The way back keeps the pharmacy they chose.
    assert 'value="FW844"' in client.get("/subscribe/?pharmacy=FW844").content.decode()


@pytest.mark.parametrize("page", ["/subscribe/", "/pharmacies/"])
def test_every_example_in_the_search_hint_finds_the_pharmacy(client, pharmacy, page, settings):
    settings.EXAMPLE_PHARMACY = "FW844"
    hint = re.search(r'id="q-hint">For example, (.+?), (\S+ \S+) or (\w+)</div>', client.get(page).content.decode())
    assert hint, "the hint names a pharmacy"
    for example in hint.groups():
        assert b'value="FW844"' in client.get("/subscribe/", {"q": example}).content, example
