from django.core.management.base import BaseCommand, CommandError

from notifications.channels.base import DeliveryError, Message
from notifications.channels.sms import sms_channel


class Command(BaseCommand):
    help = "Send one test text through the configured SMS backend, to check the set-up."

    def add_arguments(self, parser) -> None:
        parser.add_argument("number", help="The mobile number in E.164, e.g. +447700900123")

    def handle(self, number: str, **options) -> None:
        if not number.startswith("+") or not number[1:].isdigit():
            raise CommandError("Give the number in E.164 form, e.g. +447700900123")
        try:
            message_id = sms_channel().send(Message(number, "EPS Status: this is a test message. No action is needed."))
        except DeliveryError as error:
            kind = "permanent" if error.permanent else "temporary"
            raise CommandError(f"Not sent ({kind} error): {error}") from error
        self.stdout.write(message_id)
