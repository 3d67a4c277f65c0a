from django.db import models
from django.urls import reverse

from statuspage.models.ids import new_code
from statuspage.status import PATIENT_MEANING, ComponentStatus, public_status


class ComponentQuerySet(models.QuerySet):
    def groups(self):
        return self.filter(is_group=True)

    def leaves(self):
        return self.filter(is_group=False)

    def top_level(self):
        return self.filter(group__isnull=True)


class Component(models.Model):
    """A Statuspage component: a national service, a supplier's broker, or a group of them."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    is_group = models.BooleanField(default=False)
    group = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"is_group": True},
    )
    status = models.CharField(max_length=24, choices=ComponentStatus.choices, default=ComponentStatus.OPERATIONAL)
    # Why the status is what it is, in words ops and the public can read.
    status_reason = models.CharField(max_length=300, blank=True)
    showcase = models.BooleanField(default=True, help_text="Show the 90-day uptime bar on the status page.")
    only_show_if_degraded = models.BooleanField(default=False)
    start_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComponentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_status(self) -> str:
        return public_status(self.status)

    @property
    def public_status_label(self) -> str:
        return ComponentStatus(self.public_status).label

    @property
    def patient_meaning(self) -> str:
        return PATIENT_MEANING[self.public_status]

    def get_absolute_url(self) -> str:
        return reverse("component", args=[self.slug])
