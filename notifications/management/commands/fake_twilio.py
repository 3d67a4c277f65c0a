import time

from django.core.management.base import BaseCommand

from notifications import fake_twilio


class Command(BaseCommand):
    help = "Run the project's fake Twilio (Messages API, signed status callbacks) on 127.0.0.1."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8030)
        parser.add_argument("--account-sid", required=True)
        parser.add_argument("--auth-token", required=True)

    def handle(self, port: int, account_sid: str, auth_token: str, **options) -> None:
        server = fake_twilio.serve("127.0.0.1", port, account_sid, auth_token)
        self.stdout.write(f"Fake Twilio on http://127.0.0.1:{server.server_port}/ (messages: /_fake/messages)")
        self.stdout.flush()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.shutdown()
