"""``manage.py check --deploy``: each unsafe setting (config/safety.py) as an error, whether or
not ACCEPT_UNSAFE_SETTINGS let the process start with it."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from config import safety


@register(Tags.security, deploy=True)
def unsafe_settings(app_configs, **kwargs) -> list[Error]:
    return [
        Error(message, id=check_id)
        for check_id, message in safety.problems(
            secret_key=settings.SECRET_KEY,
            allowed_hosts=settings.ALLOWED_HOSTS,
            site_url=settings.SITE_URL,
            sms_backend=settings.SMS_BACKEND,
            email_backend=settings.EMAIL_BACKEND,
            webhooks_allow_private=settings.WEBHOOKS_ALLOW_PRIVATE,
        )
    ]
