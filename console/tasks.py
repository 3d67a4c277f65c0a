"""Emails to members of staff: their set-up link, and word of anything issued in their name, so a
token or a new authenticator they did not ask for is noticed by the one person who would know."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from console import setup
from console.models import StaffMember

# A mail server that is briefly away must not lose a set-up link or a warning; one that hangs holds
# a sending process for no longer than a patient's email would (EMAIL_DEADLINE_SECONDS, in all).
EMAIL_RETRIES = {
    "autoretry_for": (OSError,),
    "retry_backoff": 5,
    "retry_jitter": True,
    "max_retries": 5,
    "soft_time_limit": settings.EMAIL_DEADLINE_SECONDS,
    "time_limit": settings.EMAIL_DEADLINE_SECONDS + 10,
}

TOLD = {
    "api_token": "An API token was issued in your name.",
    "authenticator": "The authenticator app on your account was changed.",
    "password": "The password on your account was changed.",
    "role": "Your role was changed.",
}


@shared_task(**EMAIL_RETRIES)
def send_set_up_link(user_id: int, generation: int) -> None:
    """The link for one generation: sent again on a retry (the same link), never once a newer
    generation exists or the member has finished setting up."""
    member = (
        StaffMember.objects.select_related("user")
        .filter(user_id=user_id, set_up_generation=generation, set_up_until__isnull=False, user__is_active=True)
        .first()
    )
    if member is None or not member.user.email:
        return
    link = settings.SITE_URL + setup.link_path(member)
    send_mail(
        "Set up your EPS Status console account",
        f"An admin added you to the EPS Status console as {member.user.get_username()} ({member.role}).\n\n"
        f"Open this link within {setup.SET_UP_HOURS} hours to choose your password and set up your "
        f"authenticator app. It works once:\n{link}\n\n"
        "If you were not expecting this, tell the EPS Status service desk.",
        None,
        [member.user.email],
    )


@shared_task(**EMAIL_RETRIES)
def tell_member(user_id: int, what: str) -> None:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email or what not in TOLD:
        return
    send_mail(
        "A change to your EPS Status console account",
        f"{TOLD[what]}\n\nIf this was not you, tell the EPS Status service desk now: "
        f"someone may be using your account.\n\n{settings.SITE_URL}/console/account/",
        None,
        [user.email],
    )
