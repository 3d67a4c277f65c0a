import time

from django.core.management.base import BaseCommand

from notifications import fake_twilio


class Command(BaseCommand):
    help = "Run the project's fake Twilio (Messages API, signed status callbacks) on 127.0.0.1."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8030)
        parser.add_argument("--account-sid", required=True)
        parser.add_argument("--auth-token", required=True)
        parser.add_argument(
            "--latency-ms", type=float, default=0, help="how long each API call takes to answer (Twilio: about 150)"
        )
        parser.add_argument("--jitter-ms", type=float, default=0, help="up to this much sooner or later, at random")
        parser.add_argument(
            "--callback-ca", help="verify https callbacks against this CA file instead of the public CAs"
        )

    def handle(self, port: int, account_sid: str, auth_token: str, latency_ms: float, jitter_ms: float, **options):
        server = fake_twilio.serve("127.0.0.1", port, account_sid, auth_token, latency_ms, jitter_ms)
        server.fake.callback_ca = options["callback_ca"]
        self.stdout.write(
            f"Fake Twilio on http://127.0.0.1:{server.server_port}/ (messages: /_fake/messages), "
            f"answering in {latency_ms:g} ms ± {jitter_ms:g}"
        )
        self.stdout.flush()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.shutdown()
