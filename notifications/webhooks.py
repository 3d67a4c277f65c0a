"""Twilio's webhooks: inbound texts (STOP, START, HELP, JOIN, STATUS, a code), delivery receipts,
and the practices' phone-line announcement.

Paths are stable so they are configured once in Twilio. Every request must carry a valid
X-Twilio-Signature over our public URL and the form as Django parsed it (blank fields count).
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from common import personal
from notifications import announcement, keywords, phones, receipts, signup, twilio_requests
from notifications.models import Subscriber
from notifications.signup import Follow
from notifications.status_reply import reply
from notifications.tasks import send_confirmation, tell_newcomer
from statuspage import language as languages
from statuspage.models import Nation, Pharmacy


def _site(path: str = "/subscribe/") -> str:
    welsh = get_language() == "cy"
    return f"{settings.SITE_URL}{'/cy' if welsh else ''}{path}"


def help_text() -> str:
    return _(
        "NHS prescription alerts: we text you when sending prescriptions to your pharmacy breaks and when it is "
        "fixed. Reply STOP to end, START to come back. More: %(link)s"
    ) % {"link": _site()}


def subscribed_text() -> str:
    return _(
        "You're subscribed. We will text you if sending prescriptions to your pharmacy breaks, and when it is "
        "fixed. Reply STOP to end."
    )


def unknown_text() -> str:
    return _(
        "Sorry, we did not understand that. Reply STATUS and your pharmacy's code or postcode to check it, "
        "JOIN and its code for alerts, or STOP to end. Reply HELP for help."
    )


REFUSED = "Invalid or missing X-Twilio-Signature"


def signed_by_twilio(view):
    """Twilio's signature checked (twilio_requests.py), and a retried request given the answer
    its first delivery got instead of being acted on twice."""

    @wraps(view)
    def check(request: HttpRequest) -> HttpResponse:
        if not twilio_requests.from_twilio(request):
            return HttpResponse(REFUSED, status=403, content_type="text/plain")
        key, kept = twilio_requests.answered_before(request)
        if kept is not None:
            return kept
        response = view(request)
        twilio_requests.keep_answer(key, response)
        return response

    return require_POST(csrf_exempt(check))


def _twiml(text: str | None = None) -> HttpResponse:
    response = MessagingResponse()
    if text:
        response.message(text)
    return HttpResponse(str(response), content_type="text/xml")


@signed_by_twilio
def status(request: HttpRequest) -> HttpResponse:
    receipts.apply_receipt(
        request.POST.get("MessageSid", ""), request.POST.get("MessageStatus", ""), request.POST.get("ErrorCode", "")
    )
    # Twilio only needs a 2xx; a repeated or late receipt is answered the same way.
    return HttpResponse(status=204)


@signed_by_twilio
def inbound(request: HttpRequest) -> HttpResponse:
    try:
        number = phones.normalise(request.POST.get("From", ""))
    except phones.Refused:
        return _twiml()  # not a UK mobile: nothing we can sign up, nothing to stop
    intent = keywords.read(request.POST.get("Body", ""))
    subscriber = signup.find(Subscriber.Channel.SMS, number)
    # Welsh if they wrote a Welsh keyword, or signed up in Welsh.
    language = intent.language or (subscriber.language if subscriber else "") or "en"
    with override(languages.code(language)):
        return _answer(intent, number, subscriber, language)


def _answer(intent: keywords.Intent, number: str, subscriber: Subscriber | None, language: str) -> HttpResponse:
    if intent.action == "stop":
        if subscriber:
            signup.opt_out(subscriber)
        return _twiml()  # Twilio confirms opt-outs itself; a second reply would be blocked anyway
    if intent.action == "start":
        if subscriber:
            signup.opt_in_again(subscriber)
        return _twiml()
    if intent.action == "status":
        return _twiml(reply(intent.argument))
    if intent.action == "help":
        return _twiml(help_text())
    if intent.action == "confirm":
        if subscriber := signup.confirm_code(personal.lookup_hash(Subscriber.Channel.SMS, number), intent.argument):
            tell_newcomer.delay_on_commit(subscriber.pk)
            return _twiml(subscribed_text())
        return _twiml(_("That code is wrong or has expired. Ask for a new one at %(link)s") % {"link": _site()})
    if intent.action == "join":
        pharmacy = Pharmacy.objects.filter(ods_code=intent.argument).first()
        if pharmacy is None:
            return _twiml(
                _("We could not find a pharmacy with the code %(code)s. Find yours at %(link)s")
                % {"code": intent.argument, "link": _site()}
            )
        try:
            subscriber_id = signup.start(
                Subscriber.Channel.SMS,
                number,
                [Follow("pharmacy", pharmacy.pk)],
                client="sms:" + personal.lookup_hash(Subscriber.Channel.SMS, number),  # never the number in a key
                language=language,
            )
        except signup.TooMany:
            return _twiml()
        if subscriber_id:
            send_confirmation.delay_on_commit(subscriber_id)
        return _twiml(_("For alerts on %(name)s, reply with the code we text you.") % {"name": pharmacy.name})
    return _twiml(unknown_text())


# Twilio's neural voices for British English and for Welsh.
VOICES = {"en": ("Polly.Amy-Neural", "en-GB"), "cy": ("Polly.Gwyneth", "cy-GB")}


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def then_url(url: str) -> str:
    """Where the practice's own call flow continues: an https URL (http to this very machine only
    with DEBUG, by exact host: http://127.0.0.1.evil.example is not this machine)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return ""
    local = settings.DEBUG and parts.scheme == "http" and host in LOCAL_HOSTS
    if len(url) > 500 or not host or parts.username or parts.password or not (parts.scheme == "https" or local):
        return ""
    return url


@csrf_exempt
@require_http_methods(["GET", "POST"])
def voice(request: HttpRequest) -> HttpResponse:
    """The phone-line announcement. Optional query: ``nation`` (only what reaches it),
    ``language=cy`` (Welsh), ``then`` (the practice's own TwiML URL, to carry on the call).
    Signed by Twilio with our account, or fetched through a URL from ``manage.py voice_url`` by a
    practice's own Twilio account."""
    if not (twilio_requests.from_twilio(request) or twilio_requests.voice_key_valid(request)):
        return HttpResponse(REFUSED, status=403, content_type="text/plain")
    nation = request.GET.get("nation", "")
    language = "cy" if request.GET.get("language") == "cy" else "en"
    voice_name, spoken_language = VOICES[language]
    response = VoiceResponse()
    with override(languages.code(language)):
        for sentence in announcement.script(nation if nation in Nation.values else ""):
            response.say(sentence, voice=voice_name, language=spoken_language)
    if then := then_url(request.GET.get("then", "")):
        response.redirect(then, method="POST")
    return HttpResponse(str(response), content_type="text/xml", headers={"Cache-Control": "no-store"})
