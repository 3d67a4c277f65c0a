"""Create a console account from the command line (the first admin, or in an emergency)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from console import setup, staff
from console.models import Role


class Command(BaseCommand):
    help = (
        "Create a member of staff with a role. They choose their own password and set up their own "
        "authenticator from a link (emailed to them, and printed here) that works once, within 24 hours."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", choices=Role.values, default=Role.VIEWER)

    def handle(self, username, email, role, **options):
        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"{username} already exists; an admin can send them a new set-up link in the console.")
        member = staff.invite(username, email, role)
        self.stdout.write(f"Created {username} ({role}).")
        self.stdout.write(f"Set-up link (works once, within {setup.SET_UP_HOURS} hours; give it only to {username}):")
        self.stdout.write(f"  {settings.SITE_URL}{setup.link_path(member)}")
