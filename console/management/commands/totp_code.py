"""The current sign-in code for a demo account: the laptop demo's stand-in for an authenticator app."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code for a console account (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        if not settings.DEBUG:
            raise CommandError("Only on a laptop demo (DEBUG on): real staff use their authenticator app.")
        device = TOTPDevice.objects.filter(user__username=username).first()
        if device is None:
            raise CommandError(f"No authenticator for {username}.")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
