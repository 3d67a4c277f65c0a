from django.core.management.base import BaseCommand
from django.db import transaction

from demo import staff, subscribers
from demo.build import build
from notifications.models import Subscriber
from statuspage.models import Component, GPPractice, Incident, Pharmacy, Supplier


class Command(BaseCommand):
    help = "Load the national demo: NHS Spine, the suppliers' brokers, pharmacies and 90 days of history."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reset", action="store_true", help="Delete existing status data and load afresh.")

    def handle(self, reset: bool, **options) -> None:
        made = staff.ensure_staff()
        if made:
            self.stdout.write(
                f"Console staff: {', '.join(made)} (password {staff.PASSWORD!r}; "
                "a sign-in code: python manage.py totp_code ops-publisher)."
            )
        if Component.objects.exists() and not reset:
            self.stdout.write("Demo data already loaded (use --reset to load it afresh).")
            return
        with transaction.atomic():
            Subscriber.objects.all().delete()
            Incident.objects.all().delete()
            Pharmacy.objects.all().delete()
            GPPractice.objects.all().delete()
            # Children first: a group is protected while it has any.
            Component.objects.filter(is_group=False).delete()
            Component.objects.all().delete()
            Supplier.objects.all().delete()
            counts = build()
            counts["subscribers"] = subscribers.subscribers()
        self.stdout.write(", ".join(f"{n} {name}" for name, n in counts.items()) + " loaded.")
