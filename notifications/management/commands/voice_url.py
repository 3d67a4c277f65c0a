"""A phone-line announcement URL for a GP practice whose phone system runs on its own Twilio account
(which cannot sign requests with ours): the URL carries our signature over its own parameters."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from notifications import twilio_requests
from notifications.webhooks import then_url
from statuspage.models import Nation


class Command(BaseCommand):
    help = (
        "Print the URL a practice's own Twilio number fetches for the EPS announcement (TwiML). "
        "It works for exactly these options; change one and issue a new URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--nation", choices=Nation.values, default="")
        parser.add_argument("--language", choices=("en", "cy"), default="en")
        parser.add_argument("--then", default="", help="the practice's own TwiML URL, to carry on the call (https)")

    def handle(self, nation, language, then, **options):
        if then and not then_url(then):
            raise CommandError("--then must be an https:// URL of at most 500 characters, without a user name.")
        parameters = {"nation": nation, "language": "cy" if language == "cy" else "", "then": then}
        query = {k: v for k, v in parameters.items() if v}
        query["key"] = twilio_requests.voice_key(parameters)
        self.stdout.write(f"{settings.SITE_URL}/webhooks/twilio/voice?{urlencode(query)}")
