"""Staff authenticator apps (TOTP), with the shared seed encrypted at rest.

django-otp's own TOTPDevice keeps the seed as plain hex: anyone who reads a database backup could
make every member's codes. This device is the same RFC 6238 check (django_otp.oath, with the same
throttling, drift and one-use-per-step rules) over a seed sealed with PERSONAL_DATA_KEY, like
every phone number and email address. django-otp finds it as it finds any Device model.
"""

import secrets
import time
from base64 import b32encode
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from common import personal

STEP, DIGITS, TOLERANCE = 30, 6, 1


def new_seed() -> bytes:
    return secrets.token_bytes(20)


class Authenticator(TimestampMixin, ThrottlingMixin, Device):
    seed_encrypted = models.BinaryField()
    drift = models.SmallIntegerField(default=0)
    # The time step of the last code accepted: a code works once.
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = "authenticator app"

    def save(self, *args, **kwargs):
        if not self.seed_encrypted:
            self.seed = new_seed()
        super().save(*args, **kwargs)

    @property
    def seed(self) -> bytes:
        return bytes.fromhex(personal.decrypt(bytes(self.seed_encrypted)))

    @seed.setter
    def seed(self, value: bytes) -> None:
        self.seed_encrypted = personal.encrypt(value.hex())

    # django-otp's name, for anything that reads a TOTP device's key.
    bin_key = seed

    def code_now(self) -> str:
        """The current code (the demo's ``totp_code`` command, and tests)."""
        return f"{TOTP(self.seed, STEP, 0, DIGITS, self.drift).token():0{DIGITS}d}"

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            number = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.seed, STEP, 0, DIGITS, self.drift)
            totp.time = time.time()
            verified = totp.verify(number, TOLERANCE, self.last_t + 1)
            if verified:
                self.last_t, self.drift = totp.t(), totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    def get_throttle_factor(self) -> int:
        return 1

    @property
    def config_url(self) -> str:
        """The otpauth:// URL an authenticator app scans (Key URI format)."""
        issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
        label = quote(f"{issuer}:{self.user.get_username()}")
        params = urlencode({"secret": b32encode(self.seed), "algorithm": "SHA1", "digits": DIGITS, "period": STEP})
        return f"otpauth://totp/{label}?{params}&issuer={quote(issuer)}"
