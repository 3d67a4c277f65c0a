"""What we send to Twilio, and what our fake answers, held to Twilio's own OpenAPI description
(../shared/contracts/twilio_api_v2010.json, copied into tests/contracts/twilio_messages.json)."""

import json
from pathlib import Path

import jsonschema
import pytest
import requests

from notifications.channels.base import Message
from notifications.channels.sms import sms_channel


def _as_json_schema(node):
    """OpenAPI 3.0's ``nullable: true`` is JSON Schema's ``type: [t, "null"]``."""
    if isinstance(node, dict):
        node = {k: _as_json_schema(v) for k, v in node.items()}
        if node.pop("nullable", False) and "type" in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        return node
    if isinstance(node, list):
        return [_as_json_schema(v) for v in node]
    return node


SPEC = _as_json_schema(json.loads((Path(__file__).parent / "twilio_messages.json").read_text()))


def _schema(ref_or_schema: dict) -> dict:
    return {**ref_or_schema, "components": SPEC["components"]}


def test_our_create_request_is_a_valid_create_message_request(fake_twilio_api):
    sms_channel().send(Message("+447700900123", "EPS Status: test"))
    [form] = fake_twilio_api.forms
    schema = SPEC["paths"]["/2010-04-01/Accounts/{AccountSid}/Messages.json"]["post"]["requestBody"]["content"][
        "application/x-www-form-urlencoded"
    ]["schema"]
    jsonschema.validate(form, _schema(schema))
    assert set(form) <= set(schema["properties"])


def test_the_fakes_answer_is_a_valid_message_resource(fake_twilio_api, settings):
    answer = requests.post(
        f"{settings.TWILIO_API_BASE_URL}/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages.json",
        data={"To": "+447700900123", "Body": "hi", "MessagingServiceSid": settings.TWILIO_MESSAGING_SERVICE_SID},
        auth=(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN),
        timeout=5,
    )
    assert answer.status_code == 201
    jsonschema.validate(answer.json(), _schema({"$ref": "#/components/schemas/api.v2010.account.message"}))


@pytest.mark.parametrize("body", [{"Body": "hi", "MessagingServiceSid": "MG1"}, {"To": "+447700900123"}])
def test_the_fakes_errors_have_twilios_shape_not_the_problem_shape(fake_twilio_api, settings, body):
    answer = requests.post(
        f"{settings.TWILIO_API_BASE_URL}/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages.json",
        data=body,
        auth=(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN),
        timeout=5,
    )
    assert answer.status_code == 400
    assert set(answer.json()) == {"code", "message", "more_info", "status"}
