"""Console forms: each validates everything it is given and says what is wrong in words."""

from django import forms
from django.db.models import Q

from console.models import Role
from console.notice_templates import TEMPLATES, check
from detection import pull
from detection.health import Thresholds
from statuspage.models import Broker, Component, IncidentDraft, Nation, Supplier
from statuspage.status import ComponentStatus, Impact, IncidentStatus

PUBLIC_STATUSES = [(v, label) for v, label in ComponentStatus.choices if v != ComponentStatus.NOT_REPORTING]
OPEN_STATUSES = [(v, label) for v, label in IncidentStatus.choices if v not in ("resolved", "postmortem")]


def choosable_components():
    """National services, groups and central brokers: one pharmacy's own broker is chosen
    through its probe-opened draft, not from a list of thousands."""
    return Component.objects.filter(Q(broker__isnull=True) | Q(broker__site__isnull=True)).order_by("position", "name")


class PublicText:
    """The public notice in English and Welsh: each may use only the placeholders ops are given."""

    cleaned_data: dict

    def _checked(self, name: str) -> str:
        text = self.cleaned_data.get(name, "")
        try:
            check(text)
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None
        return text

    def clean_body(self) -> str:
        return self._checked("body")

    def clean_body_cy(self) -> str:
        return self._checked("body_cy")


class DraftForm(PublicText, forms.ModelForm):
    components = forms.ModelMultipleChoiceField(
        queryset=choosable_components(), required=False, widget=forms.CheckboxSelectMultiple
    )
    suppliers = forms.ModelMultipleChoiceField(
        queryset=Supplier.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="With nations: that supplier's broker in each nation.",
    )
    nations = forms.MultipleChoiceField(choices=Nation.choices, required=False, widget=forms.CheckboxSelectMultiple)
    component_status = forms.ChoiceField(choices=PUBLIC_STATUSES, label="Status of the chosen systems")
    impact = forms.ChoiceField(choices=[c for c in Impact.choices if c[0] != "maintenance"])
    incident_status = forms.ChoiceField(choices=OPEN_STATUSES, label="Incident status")

    class Meta:
        model = IncidentDraft
        fields = [
            "name",
            "components",
            "component_status",
            "impact",
            "incident_status",
            "body",
            "name_cy",
            "body_cy",
            "professional_guidance",
            "internal_notes",
        ]
        labels = {
            "name": "Title",
            "body": "Public notice",
            "name_cy": "Title in Welsh (optional)",
            "body_cy": "Public notice in Welsh (optional; the same placeholders work)",
            "professional_guidance": "Guidance for GP practices and pharmacies",
            "internal_notes": "Internal notes (never public)",
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 5}),
            "body_cy": forms.Textarea(attrs={"rows": 5}),
            "professional_guidance": forms.Textarea(attrs={"rows": 4}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.broker_id:
            # A pharmacy's own broker is not in the list: keep it on its draft all the same.
            self.fields["components"].queryset = choosable_components() | Component.objects.filter(
                pk=self.instance.broker_id
            )

    def clean(self):
        data = super().clean()
        suppliers, nations = data.get("suppliers") or [], data.get("nations") or []
        if bool(suppliers) != bool(nations):
            raise forms.ValidationError("Choose both the suppliers and the nations they are affected in.")
        chosen = list(data.get("components") or [])
        if suppliers:
            brokers = Broker.objects.filter(supplier__in=suppliers, nation__in=nations, site__isnull=True)
            found = {(b.supplier_id, b.nation) for b in brokers}
            missing = [f"{s.name} in {Nation(n).label}" for s in suppliers for n in nations if (s.pk, n) not in found]
            if missing:
                self.add_error("suppliers", f"No broker is registered for {', '.join(missing)}.")
            chosen += [b.component for b in brokers.select_related("component")]
        if not chosen:
            self.add_error("components", "Choose at least one affected system, or a supplier and nation.")
        data["components"] = list({c.pk: c for c in chosen}.values())
        return data


class UpdateForm(PublicText, forms.Form):
    """A later update to a published incident or maintenance."""

    status = forms.ChoiceField(choices=IncidentStatus.choices)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Public update")
    body_cy = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Public update in Welsh (optional)", required=False
    )
    component_status = forms.ChoiceField(
        choices=[("", "Leave as they are"), *PUBLIC_STATUSES], required=False, label="Set the affected systems to"
    )
    notify = forms.BooleanField(
        required=False, label="Also text and email subscribers (declaring and fixing always do)"
    )
    template = forms.ChoiceField(choices=[("", "")] + [(k, v[0]) for k, v in TEMPLATES.items()], required=False)

    def __init__(self, *args, statuses=IncidentStatus.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = statuses


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Internal note", max_length=5000)


class MaintenanceForm(PublicText, forms.ModelForm):
    components = forms.ModelMultipleChoiceField(queryset=choosable_components(), widget=forms.CheckboxSelectMultiple)
    scheduled_for = forms.DateTimeField(label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    scheduled_until = forms.DateTimeField(label="Ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    class Meta:
        model = IncidentDraft
        fields = [
            "name",
            "components",
            "scheduled_for",
            "scheduled_until",
            "body",
            "name_cy",
            "body_cy",
            "professional_guidance",
            "internal_notes",
            "notify_in_advance",
        ]
        labels = {
            **DraftForm.Meta.labels,
            "notify_in_advance": "Tell subscribers now, in advance (they are also told when it starts)",
        }
        widgets = DraftForm.Meta.widgets

    def clean(self):
        data = super().clean()
        start, end = data.get("scheduled_for"), data.get("scheduled_until")
        if start and end and end <= start:
            self.add_error("scheduled_until", "The end must be after the start.")
        data["components"] = list(data.get("components") or [])
        return data


THRESHOLD_HELP = {
    "degraded_latency_ms": "Latency (ms) from which it is slower than usual",
    "degraded_oldest_message_age": "Oldest waiting message (seconds): slower than usual",
    "partial_oldest_message_age": "Oldest waiting message (seconds): partly not working",
    "degraded_error_rate": "Error rate (0 to 1): slower than usual",
    "partial_error_rate": "Error rate (0 to 1): partly not working",
    "major_error_rate": "Error rate (0 to 1): not working",
    "bad_probes_to_worsen": "Bad probes in a row before the status worsens",
    "good_probes_to_recover": "Good probes in a row before it recovers",
    "silent_heartbeats": "Missed heartbeats before it counts as not reporting",
    "silence_is_outage_after": "Seconds of silence before it counts as not working",
}


class BrokerForm(forms.Form):
    supplier = forms.ModelChoiceField(queryset=Supplier.objects.all())
    nation = forms.ChoiceField(choices=Nation.choices)
    heartbeat_seconds = forms.IntegerField(min_value=5, max_value=3600, initial=30)
    probes_per_minute = forms.IntegerField(min_value=1, max_value=6000, initial=60)
    pull_url = forms.URLField(required=False, assume_scheme="https", label="Health endpoint to fetch (optional)")

    def __init__(self, *args, broker: Broker | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.broker = broker
        defaults = Thresholds()
        for name, label in THRESHOLD_HELP.items():
            default = getattr(defaults, name)
            field = forms.IntegerField if isinstance(default, int) else forms.FloatField
            self.fields[f"t_{name}"] = field(
                required=False, min_value=0, label=label, help_text=f"Default {default}. Leave empty for the default."
            )
        if broker:
            # Who the broker belongs to is fixed once it exists: its probes and history depend on it.
            for name in ("supplier", "nation"):
                self.fields[name].disabled = True

    def clean_pull_url(self) -> str:
        url = self.cleaned_data["pull_url"]
        if not url:
            return url
        try:
            return pull.check_url(url)
        except pull.Refused as e:
            raise forms.ValidationError(str(e)) from None

    def clean(self):
        data = super().clean()
        overrides = {name: data[f"t_{name}"] for name in THRESHOLD_HELP if data.get(f"t_{name}") not in (None, "")}
        try:
            Thresholds.with_overrides(overrides)
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None
        data["thresholds"] = overrides
        supplier, nation = data.get("supplier"), data.get("nation")
        if self.broker is None and supplier and nation:
            if Broker.objects.filter(supplier=supplier, nation=nation, site__isnull=True).exists():
                self.add_error("nation", f"{supplier.name} already has a broker in {Nation(nation).label}.")
        return data


class TokenForm(forms.Form):
    label = forms.CharField(max_length=40, help_text="Who will hold it, e.g. 'supplier monitoring'.")


class StaffForm(forms.Form):
    username = forms.RegexField(regex=r"^[a-z0-9._-]{3,40}$", help_text="Lower case letters, digits, . _ -")
    email = forms.EmailField()
    role = forms.ChoiceField(choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
