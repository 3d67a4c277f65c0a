"""The status vocabulary and the pure rules over it.

Statuspage's words are used everywhere (models, API, templates, tests). No database,
no clock: everything here takes values and returns values.
"""

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ComponentStatus(models.TextChoices):
    OPERATIONAL = "operational", _("Working normally")
    DEGRADED_PERFORMANCE = "degraded_performance", _("Slower than usual")
    PARTIAL_OUTAGE = "partial_outage", _("Partly not working")
    MAJOR_OUTAGE = "major_outage", _("Not working")
    UNDER_MAINTENANCE = "under_maintenance", _("Planned maintenance")
    # Internal: the broker has stopped reporting. Never shown raw; see PUBLIC_STATUS.
    NOT_REPORTING = "not_reporting", _("Not reporting")


class IncidentStatus(models.TextChoices):
    INVESTIGATING = "investigating", _("Investigating")
    IDENTIFIED = "identified", _("Identified")
    MONITORING = "monitoring", _("Monitoring")
    RESOLVED = "resolved", _("Resolved")
    POSTMORTEM = "postmortem", _("Postmortem")


class MaintenanceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    VERIFYING = "verifying", _("Verifying")
    COMPLETED = "completed", _("Completed")


class Impact(models.TextChoices):
    NONE = "none", _("None")
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")
    MAINTENANCE = "maintenance", _("Maintenance")


S = ComponentStatus

# A broker that has gone quiet is shown as "slower than usual": we cannot say it works,
# and silence alone is not proof of an outage (that follows after SILENCE_IS_OUTAGE).
PUBLIC_STATUS: dict[str, str] = {
    S.OPERATIONAL: S.OPERATIONAL,
    S.DEGRADED_PERFORMANCE: S.DEGRADED_PERFORMANCE,
    S.PARTIAL_OUTAGE: S.PARTIAL_OUTAGE,
    S.MAJOR_OUTAGE: S.MAJOR_OUTAGE,
    S.UNDER_MAINTENANCE: S.UNDER_MAINTENANCE,
    S.NOT_REPORTING: S.DEGRADED_PERFORMANCE,
}

# Worse is larger. Maintenance sits below any fault: a fault during maintenance shows.
SEVERITY: dict[str, int] = {
    S.OPERATIONAL: 0,
    S.UNDER_MAINTENANCE: 1,
    S.DEGRADED_PERFORMANCE: 2,
    S.NOT_REPORTING: 2,
    S.PARTIAL_OUTAGE: 3,
    S.MAJOR_OUTAGE: 4,
}

FINISHED_INCIDENT = {IncidentStatus.RESOLVED, IncidentStatus.POSTMORTEM}
FINISHED_MAINTENANCE = {MaintenanceStatus.COMPLETED}

# Statuspage's own words (the API's contract, in English); gettext_noop so pages can translate them.
INDICATOR_DESCRIPTION = {
    "none": gettext_noop("All Systems Operational"),
    "maintenance": gettext_noop("Service Under Maintenance"),
    "minor": gettext_noop("Minor Service Outage"),
    "major": gettext_noop("Partial System Outage"),
    "critical": gettext_noop("Major System Outage"),
}
# What each public status means for a patient waiting for a prescription.
PATIENT_MEANING = {
    S.OPERATIONAL: _("Prescriptions are being sent normally."),
    S.UNDER_MAINTENANCE: _("Planned work is under way. Prescriptions may take longer to arrive."),
    S.DEGRADED_PERFORMANCE: _("Prescriptions may take longer than usual to reach pharmacies."),
    S.PARTIAL_OUTAGE: _("Some prescriptions are delayed in reaching pharmacies."),
    S.MAJOR_OUTAGE: _("Prescriptions are not reaching pharmacies that use this system."),
}


def public_status(status: str) -> str:
    """The status the public sees for an internal one."""
    return PUBLIC_STATUS[status]


def worst(statuses: Iterable[str]) -> str:
    """The most severe of some statuses; operational when there are none."""
    return max(statuses, key=SEVERITY.__getitem__, default=S.OPERATIONAL)


# One pharmacy's own broker is that pharmacy's problem. Brokers at single pharmacies move their
# group only when at least this share of them are affected together.
SITES_THAT_MOVE_A_GROUP = 0.25


def group_status(child_statuses: Iterable[str], site_statuses: Iterable[str] = ()) -> str:
    """A group shows the public status of its worst child.

    Brokers at single pharmacies (site_statuses) count only when a quarter or more of them are
    affected, and then at most as a partial outage: one shop's broker failing must not tell a
    nation that its pharmacy systems are not working.
    """
    sites = [public_status(s) for s in site_statuses]
    affected = [s for s in sites if s != S.OPERATIONAL]
    counted = affected if sites and len(affected) / len(sites) >= SITES_THAT_MOVE_A_GROUP else []
    capped = (S.PARTIAL_OUTAGE if SEVERITY[s] > SEVERITY[S.PARTIAL_OUTAGE] else s for s in counted)
    return public_status(worst([*(public_status(s) for s in child_statuses), *capped]))


def is_public_affecting(status: str) -> bool:
    return public_status(status) != S.OPERATIONAL
