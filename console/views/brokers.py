"""Brokers: add, tune thresholds and heartbeats, issue and revoke tokens (admin)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from console import brokers, roles
from console.forms import THRESHOLD_HELP, BrokerForm, TokenForm
from statuspage.models import Broker, BrokerToken


def _initial(broker: Broker) -> dict:
    data = {
        "supplier": broker.supplier_id,
        "nation": broker.nation,
        "heartbeat_seconds": broker.heartbeat_seconds,
        "probes_per_minute": broker.probes_per_minute,
        "pull_url": broker.pull_url,
    }
    data.update({f"t_{name}": value for name, value in broker.thresholds.items() if name in THRESHOLD_HELP})
    return data


@require_http_methods(["GET", "POST"])
@roles.admin
def broker_new(request: HttpRequest) -> HttpResponse:
    form = BrokerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        broker = brokers.save(request, None, form.cleaned_data)
        messages.success(request, f"Added {broker}. Issue it a token so it can report.")
        return redirect("console:broker", broker.pk)
    return render(request, "console/broker_form.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@roles.admin
def broker_edit(request: HttpRequest, broker_id: int) -> HttpResponse:
    broker = get_object_or_404(Broker.objects.select_related("component", "supplier"), pk=broker_id)
    form = BrokerForm(request.POST or None, initial=_initial(broker), broker=broker)
    if request.method == "POST" and form.is_valid():
        brokers.save(request, broker, form.cleaned_data)
        messages.success(request, f"Saved {broker}.")
        return redirect("console:broker", broker.pk)
    return render(
        request, "console/broker_form.html", {"form": form, "broker": broker}, status=400 if form.errors else 200
    )


@require_POST
@roles.admin
def token_issue(request: HttpRequest, broker_id: int) -> HttpResponse:
    broker = get_object_or_404(Broker.objects.select_related("component"), pk=broker_id)
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say who will hold the token.")
        return redirect("console:broker", broker.pk)
    token = brokers.issue_token(request, broker, form.cleaned_data["label"])
    # Shown in this response only: we keep its hash, never the token.
    return render(request, "console/token_issued.html", {"broker": broker, "token": token})


@require_POST
@roles.admin
def token_revoke(request: HttpRequest, broker_id: int, token_id: int) -> HttpResponse:
    token = get_object_or_404(BrokerToken.objects.select_related("broker__component"), pk=token_id, broker_id=broker_id)
    if brokers.revoke_token(request, token):
        messages.success(request, f"Revoked {token.prefix}…: it stops working within a second.")
    return redirect("console:broker", broker_id)
