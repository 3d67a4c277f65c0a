"""Create a console account from the command line (the first admin, or in an emergency)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from console import staff
from console.models import Role


class Command(BaseCommand):
    help = "Create a member of staff with a role; prints their first password and authenticator set-up once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", choices=Role.values, default=Role.VIEWER)

    def handle(self, username, email, role, **options):
        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"{username} already exists; an admin can reset their authenticator in the console.")
        enrolment = staff.create(username, email, role)
        self.stdout.write(f"Created {username} ({role}). Shown once:")
        self.stdout.write(f"  password:          {enrolment.password}")
        self.stdout.write(f"  authenticator key: {enrolment.secret}")
        self.stdout.write(f"  otpauth URL:       {enrolment.otpauth_url}")
