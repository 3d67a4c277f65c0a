"""Settings no production node may run with, said in words: refused at start when DEBUG is off
(config/settings.py) and reported by ``manage.py check --deploy`` (config/checks.py).

Pure: it judges the values it is given.
"""

import math
from urllib.parse import urlsplit

PLACEHOLDER_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
# A key from ``get_random_secret_key``, ``secrets.token_urlsafe(50)`` or 40 random bytes in hex
# holds 230 bits or more by a plain estimate (length x bits per character used); "abcde" * 10
# holds 116. A key that is one piece repeated is refused however long.
MIN_KEY_LENGTH, MIN_KEY_BITS = 50, 200
SAFE_EMAIL_BACKENDS = ("django.core.mail.backends.smtp.EmailBackend",)


def problems(
    *,
    secret_key: str,
    allowed_hosts: list[str],
    site_url: str,
    sms_backend: str,
    email_backend: str,
    webhooks_allow_private: bool,
) -> list[tuple[str, str]]:
    """(check id, what is wrong and what to do) for each unsafe setting."""
    found = []
    if (
        secret_key == PLACEHOLDER_SECRET_KEY
        or secret_key.startswith("django-insecure")
        or len(secret_key) < MIN_KEY_LENGTH
        or len(secret_key) * math.log2(max(len(set(secret_key)), 1)) < MIN_KEY_BITS
        or secret_key in (secret_key + secret_key)[1:-1]
    ):
        found.append(
            (
                "eps.E001",
                "SECRET_KEY must be set to a long random value when DEBUG is off "
                "(python -c 'import secrets; print(secrets.token_urlsafe(50))').",
            )
        )
    if not allowed_hosts or "*" in allowed_hosts:
        found.append(("eps.E002", "ALLOWED_HOSTS must list this site's host names when DEBUG is off."))
    if urlsplit(site_url).scheme != "https":
        found.append(
            (
                "eps.E003",
                f"SITE_URL must start https:// when DEBUG is off: every link we send is built from it ({site_url}).",
            )
        )
    if sms_backend != "twilio":
        found.append(
            (
                "eps.E004",
                "SMS_BACKEND must be twilio when DEBUG is off: the development outbox keeps texts on this machine.",
            )
        )
    if email_backend not in SAFE_EMAIL_BACKENDS:
        found.append(
            (
                "eps.E005",
                f"EMAIL_URL must name an SMTP server when DEBUG is off: {email_backend} sends nothing "
                "(and the console backend writes confirmation links into the logs).",
            )
        )
    if webhooks_allow_private:
        found.append(
            (
                "eps.E006",
                "WEBHOOKS_ALLOW_PRIVATE must be off when DEBUG is off: it lets anyone's webhook make our "
                "servers call inside the network.",
            )
        )
    return found
