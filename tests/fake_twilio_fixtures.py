"""Fixtures: the project's fake Twilio, served on a free port for the whole run."""

import pytest
from twilio.request_validator import RequestValidator

from notifications import fake_twilio

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
# The public address webhook tests sign against (they set SITE_URL to it).
SITE = "https://status.example.nhs.uk"


def signed(client, path: str, params: dict, method: str = "post", token: str = AUTH_TOKEN):
    """A request as Twilio makes it: signed over our public URL (query included) and, for a POST, its form."""
    signature = RequestValidator(token).compute_signature(SITE + path, params if method == "post" else {})
    return getattr(client, method)(path, params, headers={"X-Twilio-Signature": signature})


@pytest.fixture(scope="session")
def twilio_server():
    server = fake_twilio.serve("127.0.0.1", 0, ACCOUNT_SID, AUTH_TOKEN)
    yield server
    server.shutdown()


@pytest.fixture
def fake_twilio_api(twilio_server, settings):
    """The real twilio library, talking HTTP to the project's fake Twilio."""
    twilio_server.fake.reset()
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    settings.TWILIO_API_BASE_URL = f"http://127.0.0.1:{twilio_server.server_port}"
    return twilio_server.fake


@pytest.fixture
def trickling_twilio(fake_twilio_api, stranger, settings):
    """Twilio's address answered by a server sending one byte a second."""
    settings.TWILIO_API_BASE_URL = stranger("trickle", interval=1.0).url
