"""Self-service webhooks: register with an address and an email, confirm from the email, then
manage from a signed link (delivery log, new secret, switch off and on, delete)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.client_address import client_key
from common.counters import count_hourly
from integrations import endpoints
from integrations.models import Endpoint
from integrations.signing import HEADER
from integrations.tasks import send_confirmation
from statuspage.outage import unavailable_while_down

REGISTRATIONS_PER_HOUR = 5


def _problems(url: str, email: str) -> dict:
    errors = {}
    try:
        endpoints.check_url(url)
    except endpoints.Refused as e:
        errors["url"] = str(e)
    try:
        validate_email(email.strip())
    except ValidationError:
        errors["email"] = "Enter an email address in the correct format, like name@example.com"
    return errors


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@unavailable_while_down
def register(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else {}
    context = {"data": data, "errors": {}, "header": HEADER}
    if request.method != "POST":
        return render(request, "integrations/register.html", context)
    url, email = data.get("url", ""), data.get("email", "")
    context["errors"] = _problems(url, email)
    if context["errors"]:
        return render(request, "integrations/register.html", context, status=400)
    if not count_hourly(f"webhook:{client_key(request)}", REGISTRATIONS_PER_HOUR):
        context["errors"] = {"form": "You have registered too many webhooks. Try again in an hour."}
        return render(request, "integrations/register.html", context, status=429)
    with transaction.atomic():
        endpoint, _secret = endpoints.register(url, email)  # the secret is shown on confirming
        send_confirmation.delay_on_commit(endpoint.pk)
    return render(request, "integrations/sent.html", {"email": email.strip()})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    endpoint = endpoints.from_confirm_token(token)
    if endpoint is None:
        return render(request, "integrations/confirm.html", {"gone": True}, status=404)
    context = {"endpoint": endpoint}
    # Confirming behind a button: a mail scanner that opens the link must not confirm it.
    if request.method == "POST":
        if endpoints.confirm(endpoint):
            context["secret"] = endpoints.rotate_secret(endpoint)
            context["manage"] = endpoints.manage_url(endpoint)
        else:
            context["already"] = True
    return render(request, "integrations/confirm.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    endpoint = endpoints.from_manage_token(token)
    if endpoint is None:
        return render(request, "integrations/manage.html", {"gone": True}, status=404)
    context = {"endpoint": endpoint}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "rotate" and endpoint.state != Endpoint.State.PENDING:
        context["secret"] = endpoints.rotate_secret(endpoint)
    elif action == "disable" and endpoint.state == Endpoint.State.ACTIVE:
        endpoints.disable(endpoint, "Switched off by its owner.")
    elif action == "enable" and endpoint.state == Endpoint.State.DISABLED:
        endpoints.enable(endpoint)
    elif action == "delete":
        endpoint.delete()
        return render(request, "integrations/manage.html", {"deleted": True})
    elif action == "new_links":
        endpoint = endpoints.new_links(endpoint)
        return redirect("webhooks-manage", token=endpoints.manage_token(endpoint))
    endpoint.refresh_from_db()
    context["deliveries"] = endpoint.deliveries.all()[:50]
    return render(request, "integrations/manage.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every payload: it shows the address and can switch the webhook off, nothing more."""
    endpoint = endpoints.from_unsubscribe_token(token)
    if endpoint is None:
        return render(request, "integrations/unsubscribe.html", {"gone": True}, status=404)
    if request.method == "POST" and endpoint.state == Endpoint.State.ACTIVE:
        endpoints.disable(endpoint, "Switched off from the unsubscribe link.")
        endpoint.refresh_from_db()
    response = render(request, "integrations/unsubscribe.html", {"endpoint": endpoint})
    response["Referrer-Policy"] = "same-origin"
    return response
