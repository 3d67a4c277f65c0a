"""Sending the confirmation a sign-up needs: a 6-digit code by text, or a signed link by email,
in the language the person signed up in."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications import bucket, signup
from notifications.channels.base import Message
from notifications.channels.email import EmailChannel
from notifications.channels.sms import sms_channel
from notifications.models import Subscriber
from statuspage import language


def code_text(code: str) -> str:
    return _(
        "NHS prescription alerts: your code is %(code)s. It expires in 10 minutes. "
        "If you did not ask for this, ignore this text."
    ) % {"code": code}


def send(subscriber_id: int) -> None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return
    welsh = subscriber.language == "cy"
    with override(language.code(subscriber.language)):
        if subscriber.channel == Subscriber.Channel.SMS:
            code = signup.new_code(subscriber.pk)
            bucket.wait_for(1)
            sms_channel().send(Message(subscriber.address, code_text(code)))
            return
        prefix = f"{settings.SITE_URL}{'/cy' if welsh else ''}/subscribe"
        link = f"{prefix}/confirm/{signup.confirm_link(subscriber.pk)}/"
        manage = f"{settings.SITE_URL}/subscribe/unsubscribe/{signup.unsubscribe_token(subscriber)}/"
        EmailChannel().send(
            Message(
                subscriber.address,
                _("Someone asked us to email them about problems with NHS prescriptions. We hope it was you.")
                + "\n\n"
                + _("To confirm, open this link within 24 hours:")
                + f"\n{link}\n\n"
                + _("If it was not you, do nothing. We will delete your address in 24 hours."),
                subject=_("Confirm your NHS prescription alerts"),
                unsubscribe_url=manage,
            )
        )
