"""The pages where patients subscribe, confirm, and see, stop or delete what we hold.

Every page works without JavaScript; htmx only makes the pharmacy search live. The answer after
"send me a code" is the same whether the address is known, new, or over a limit.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from common import personal
from common.client_address import client_key
from notifications import following, phones, signup
from notifications.models import Subscriber
from notifications.signup import Follow
from notifications.tasks import send_confirmation, tell_newcomer
from statuspage.lookup import find_pharmacies
from statuspage.models import Nation, Pharmacy
from statuspage.outage import unavailable_while_down

SESSION_KEY = "signup_address_hash"
SENT_TO_KEY, CHANGE_KEY = "signup_sent_to", "signup_pharmacy"


def _reader_language(request: HttpRequest) -> str:
    """What the subscriber reads: their texts and emails come in the language of the page they used."""
    return "cy" if request.LANGUAGE_CODE == "cy" else "en"


def _address(channel: str, raw: str) -> tuple[str, str]:
    """(normalised address, error)."""
    if channel == Subscriber.Channel.SMS:
        try:
            return phones.normalise(raw), ""
        except phones.Refused as e:
            return "", str(e)
    raw = raw.strip()
    try:
        validate_email(raw)
    except ValidationError:
        return "", _("Enter an email address in the correct format, like name@example.com")
    return raw.lower(), ""


def _follow(data) -> tuple[Follow | None, str]:
    scope = data.get("follow", "")
    if scope == "pharmacy":
        pharmacy = Pharmacy.objects.filter(ods_code=data.get("pharmacy", "")).first()
        return (Follow("pharmacy", pharmacy.pk), "") if pharmacy else (None, _("Find and choose your pharmacy"))
    if scope == "nation":
        nation = data.get("nation", "")
        return (Follow("nation", nation=nation), "") if nation in Nation.values else (None, _("Choose a nation"))
    if scope == "all":
        return Follow("all"), ""
    return None, _("Choose what you want to hear about")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@unavailable_while_down
def subscribe(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("q", "").strip()
    context = {
        "data": data,
        "nations": Nation.choices,
        "query": query,
        "results": find_pharmacies(query) if query else [],
        "chosen": Pharmacy.objects.filter(ods_code=data.get("pharmacy", "")).first(),
        "errors": {},
        "sms_number": phones.spoken(settings.SMS_NUMBER),
        "example_code": settings.EXAMPLE_PHARMACY,
    }
    if request.htmx and request.method == "GET":
        return render(request, "notifications/subscribe.html#results", context)
    if request.method == "POST" and "find" in data and not query:
        context["errors"] = {"q": _("Enter your pharmacy's name, postcode or ODS code")}
        return render(request, "notifications/subscribe.html", context, status=400)
    if request.method != "POST" or "find" in data:
        return render(request, "notifications/subscribe.html", context)
    channel = data.get("channel", "")
    errors = {}
    if channel not in Subscriber.Channel.values:
        errors["channel"] = _("Choose text message or email")
    else:
        address, problem = _address(channel, data.get(f"{channel}_address", ""))
        if problem:
            errors[f"{channel}_address"] = problem
    follow, problem = _follow(data)
    if problem:
        errors["follow"] = problem
    if errors:
        context["errors"] = errors
        return render(request, "notifications/subscribe.html", context, status=400)
    try:
        subscriber_id = signup.start(
            channel, address, [follow], client=client_key(request), language=_reader_language(request)
        )
    except signup.TooMany:
        context["errors"] = {"form": _("You have tried too many times. Try again in an hour.")}
        return render(request, "notifications/subscribe.html", context, status=429)
    if subscriber_id:
        send_confirmation.delay_on_commit(subscriber_id)
    request.session[SESSION_KEY] = personal.lookup_hash(channel, address)
    # For "we sent a code to 07••• •••123, change number": masked, and the way back to the same choice.
    request.session[SENT_TO_KEY] = personal.mask(channel, address)
    chosen = context["chosen"] if follow.scope == "pharmacy" else None
    request.session[CHANGE_KEY] = chosen.ods_code if chosen else ""
    return redirect(reverse("subscribe-check") + f"?by={channel}")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@unavailable_while_down
def check(request: HttpRequest) -> HttpResponse:
    by = "email" if request.GET.get("by") == "email" else "sms"
    pharmacy = request.session.get(CHANGE_KEY, "")
    change = reverse("subscribe") + (f"?pharmacy={pharmacy}" if pharmacy else "")
    context = {"by": by, "errors": {}, "sent_to": request.session.get(SENT_TO_KEY, ""), "change": change}
    if request.method == "POST":
        address_hash = request.session.get(SESSION_KEY, "")
        subscriber = signup.confirm_code(address_hash, request.POST.get("code", "").strip()) if address_hash else None
        if subscriber:
            for key in (SESSION_KEY, SENT_TO_KEY, CHANGE_KEY):
                request.session.pop(key, None)
            tell_newcomer.delay_on_commit(subscriber.pk)
            return redirect("subscribe-manage", token=signup.manage_token(subscriber))
        context["errors"] = {"code": _("The code is wrong or has expired. Check the text, or ask for a new code.")}
        return render(request, "notifications/check.html", context, status=400)
    return render(request, "notifications/check.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@unavailable_while_down
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    # A button, not the link itself: mail scanners open links, and must not confirm for anyone.
    if request.method == "POST":
        subscriber = signup.confirm_by_link(token)
        if subscriber:
            tell_newcomer.delay_on_commit(subscriber.pk)
            return redirect("subscribe-manage", token=signup.manage_token(subscriber))
        return render(request, "notifications/confirm.html", {"expired": True}, status=400)
    return render(request, "notifications/confirm.html", {"token": token})


def _change_follows(request: HttpRequest, subscriber: Subscriber, action: str) -> str:
    """Add or remove a pharmacy (manage link only). The problem in words, or "" when done."""
    try:
        if action == "add":
            pharmacy = Pharmacy.objects.filter(ods_code=request.POST.get("pharmacy", "")).first()
            if pharmacy is None:
                return _("Choose a pharmacy from the list")
            following.add_pharmacy(subscriber, pharmacy)
        else:
            following.remove(subscriber, int(request.POST.get("follow", "0") or 0))
    except following.Refused as e:
        return str(e)
    except ValueError:
        return _("Choose what to remove")
    return ""


def _your_details(request: HttpRequest, subscriber: Subscriber | None, full: bool) -> HttpResponse:
    """The page a manage or unsubscribe link opens. Either can stop messages or delete the details;
    only the short-lived manage link can also change what they follow and make every older link
    stop working."""
    if subscriber is None:
        return render(request, "notifications/manage.html", {"gone": True}, status=404)
    action = request.POST.get("action")
    errors = {}
    if action == "delete":
        subscriber.delete()
        return render(request, "notifications/manage.html", {"deleted": True})
    if action == "stop":
        signup.opt_out(subscriber)
        subscriber.refresh_from_db()
    if action == "new_links" and full:
        subscriber = signup.new_links(subscriber)
        return redirect("subscribe-manage", token=signup.manage_token(subscriber))
    if action in ("add", "remove") and full:
        if problem := _change_follows(request, subscriber, action):
            errors["pharmacy" if action == "add" else "follow"] = problem
        else:
            # After a change, a fresh GET: reloading the page must not post it again.
            return redirect(request.path + "#following")
    query = request.GET.get("q", "").strip()[:100] if full else ""
    follows = list(subscriber.subscriptions.select_related("pharmacy__system").order_by("created_at"))
    response = render(
        request,
        "notifications/manage.html",
        {
            "subscriber": subscriber,
            "follows": following.now(follows),
            "stopped": action == "stop",
            "full": full,
            "query": query,
            "results": find_pharmacies(query) if query else [],
            "errors": errors,
            "most_followed": following.MOST_FOLLOWED,
        },
        status=400 if errors else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    # The link is the key: it never leaves for another site. Same-origin still sends our own Origin
    # with the page's buttons, which CSRF checks need (no-referrer made it "null", and refused them).
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@unavailable_while_down
def manage(request: HttpRequest, token: str) -> HttpResponse:
    return _your_details(request, signup.from_manage_token(token), full=True)


@csrf_exempt  # mail clients post RFC 8058 one-click unsubscribes without a CSRF token; the signed link is the key
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@unavailable_while_down
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = signup.from_unsubscribe_token(token)
    if request.method == "POST" and "action" not in request.POST:
        # A mail client's one-click unsubscribe (List-Unsubscribe-Post): no page, just done.
        if subscriber is not None:
            signup.opt_out(subscriber)
        return HttpResponse("You will get no more messages.", content_type="text/plain")
    return _your_details(request, subscriber, full=False)
