"""Email through Django's email backends (SMTP in production), plain text with an HTML part."""

from email.utils import make_msgid

from django.core.mail import EmailMultiAlternatives
from django.utils.html import escape, linebreaks

from notifications.channels.base import DeliveryError, Message


class EmailChannel:
    def send(self, message: Message) -> str:
        # Our own Message-ID, so the delivery records an id that is unique across every worker.
        headers = {"Message-ID": make_msgid(domain="eps-status")}
        if message.unsubscribe_url:
            # One-click unsubscribe (RFC 8058): mail clients show an Unsubscribe button.
            headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = EmailMultiAlternatives(message.subject, message.body, to=[message.to], headers=headers)
        email.attach_alternative(message.html or linebreaks(escape(message.body)), "text/html")
        try:
            email.send()
        except OSError as e:
            raise DeliveryError(f"the mail server did not take it ({type(e).__name__})", permanent=False) from None
        return headers["Message-ID"]
