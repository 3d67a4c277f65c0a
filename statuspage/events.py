"""What the status domain announces. The apps above it (notifications, integrations) listen, in
their ``apps.py``; the domain never imports them.

Receivers run synchronously, inside the transaction that made the change: a patient notice or an
integrator's webhook is written with the change it announces (an outbox), and rolls back with it.
"""

from django.dispatch import Signal

# An incident or maintenance update was published.
# Sent with: update (IncidentUpdate), first (the incident's opening update), notify (ops asked
# for subscribers to hear of it), by (the member of staff publishing it, or None).
update_published = Signal()

# A component's status changed. Sent with: change (the StatusChange just written).
status_changed = Signal()
