"""Integrators' webhooks in the console: everyone sees them and their delivery logs; admins
register, switch off and on, rotate secrets and delete."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from console import roles
from console import webhooks as actions
from console.forms import choosable_components
from integrations import endpoints
from integrations.models import Endpoint


class WebhookForm(forms.Form):
    url = forms.CharField(label="Endpoint address", max_length=500, help_text="https://…")
    contact = forms.EmailField(label="Contact email", help_text="Told if the webhook is switched off.")
    components = forms.ModelMultipleChoiceField(
        queryset=choosable_components(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: every system.",
    )

    def clean_url(self) -> str:
        try:
            return endpoints.check_url(self.cleaned_data["url"])
        except endpoints.Refused as e:
            raise forms.ValidationError(str(e)) from None


@require_http_methods(["GET"])
@roles.viewer
def webhook_list(request: HttpRequest) -> HttpResponse:
    context = {"endpoints": Endpoint.objects.prefetch_related("components"), "form": WebhookForm(), "here": "webhooks"}
    return render(request, "console/webhooks.html", context)


@require_http_methods(["GET", "POST"])
@roles.admin
def webhook_new(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        endpoint, secret = actions.register(request, data["url"], data["contact"], data["components"])
        # Shown in this response only: we keep it encrypted, to sign with.
        return render(request, "console/webhook.html", _detail(endpoint, secret))
    context = {"endpoints": Endpoint.objects.prefetch_related("components"), "form": form, "here": "webhooks"}
    return render(request, "console/webhooks.html", context, status=400 if form.errors else 200)


def _detail(endpoint: Endpoint, secret: str | None = None) -> dict:
    return {"endpoint": endpoint, "deliveries": endpoint.deliveries.all()[:100], "secret": secret, "here": "webhooks"}


@require_http_methods(["GET"])
@roles.viewer
def webhook_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id)
    return render(request, "console/webhook.html", _detail(endpoint))


@require_POST
@roles.admin
def webhook_action(request: HttpRequest, endpoint_id: int, action: str) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id)
    if action not in ("disable", "enable", "rotate", "delete"):
        messages.error(request, "Unknown action.")
        return redirect("console:webhook", endpoint.pk)
    secret = actions.act(request, endpoint, action)
    if action == "delete":
        messages.success(request, f"Deleted the webhook to {endpoint.url}.")
        return redirect("console:webhooks")
    if secret:
        return render(request, "console/webhook.html", _detail(endpoint, secret))
    return redirect("console:webhook", endpoint.pk)
