"""The current sign-in code for a demo account: the laptop demo's stand-in for an authenticator app."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from console.authenticators import Authenticator


class Command(BaseCommand):
    help = "Print the current TOTP code for a console account (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        if not settings.DEBUG:
            raise CommandError("Only on a laptop demo (DEBUG on): real staff use their authenticator app.")
        device = Authenticator.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"No authenticator for {username}.")
        self.stdout.write(device.code_now())
