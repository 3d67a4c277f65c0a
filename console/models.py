"""Staff roles, the append-only audit trail, API tokens and internal notes."""

from django.conf import settings
from django.db import models

from statuspage.models import Incident


class Role(models.TextChoices):
    """Each role can do everything the ones before it can."""

    VIEWER = "viewer", "Viewer: sees everything"
    EDITOR = "editor", "Editor: drafts incidents and maintenance"
    PUBLISHER = "publisher", "Publisher: publishes and sends"
    ADMIN = "admin", "Admin: users, brokers and tokens"


RANK = {role: i for i, role in enumerate(Role.values)}


class StaffMember(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    # A member who has yet to choose their own password and enrol their own authenticator, through
    # the link emailed to them (console/setup.py). Each new link bumps the generation, which ends
    # the one before; nobody else ever sees a password or an authenticator key.
    set_up_until = models.DateTimeField(null=True, blank=True)
    set_up_generation = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.role})"

    def can(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]

    # For templates, which cannot pass an argument: they hide what the server would refuse.
    @property
    def can_edit(self) -> bool:
        return self.can(Role.EDITOR)

    @property
    def can_publish(self) -> bool:
        return self.can(Role.PUBLISHER)

    @property
    def is_admin(self) -> bool:
        return self.can(Role.ADMIN)


class AppendOnly(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")


class AuditEntry(models.Model):
    """One staff write: who, when, from where, what, and the object before and after.
    Rows are only ever added (and PostgreSQL refuses UPDATE and DELETE on the table)."""

    at = models.DateTimeField(db_index=True)
    # No database constraint and nothing done on delete: the entry keeps the id of an account or
    # incident that is later removed (a SET NULL would be an UPDATE, which the table refuses).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # Kept as text too, so the record outlives the account.
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    source_address = models.GenericIPAddressField(null=True)
    via = models.CharField(max_length=8, default="console")  # console or api
    incident = models.ForeignKey(
        Incident, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    objects = AppendOnly.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")


class ApiToken(models.Model):
    """A bearer token for ops tooling, acting as one member of staff with that member's role.
    Only its SHA-256 is kept: it is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)
    label = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.label})"


class InternalNote(models.Model):
    """Ops' own notes on an incident: in the console and the incident report, never public."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.incident} at {self.at:%H:%M}"


# Defined in its own module, imported here so Django (and django-otp) find it.
from console.authenticators import Authenticator  # noqa: E402, F401
