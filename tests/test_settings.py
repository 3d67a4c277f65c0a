"""Production settings refuse to start unsafe, and pass Django's deployment checks."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "status.example.nhs.uk",
    "SITE_URL": "https://status.example.nhs.uk",
    "PERSONAL_DATA_KEY": "sNGjBDPQ0KlYoNFb8SEsFNSeZ64QkzTx9zbPhq6zJPY=",
    "EMAIL_URL": "smtp+tls://mail.example.nhs.uk:587",
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "not-a-real-token",
    "TWILIO_MESSAGING_SERVICE_SID": "MG00000000000000000000000000000000",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a production node would have: none of the test harness's switches.
    harness = {
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "CELERY_TASK_ALWAYS_EAGER",
        "DATABASE_URL",
        "SITE_URL",
        "ALLOWED_HOSTS",
        "WEBHOOKS_ALLOW_PRIVATE",
        "ACCEPT_UNSAFE_SETTINGS",
    }
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in harness}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def test_deploy_check_is_clean_with_debug_off(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", VAR_DIR=str(tmp_path), **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_debug_off_refuses_the_placeholder_secret_key(tmp_path):
    env = {**PRODUCTION, "SECRET_KEY": ""}
    env.pop("SECRET_KEY")
    result = manage("check", VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_refuses_a_weak_secret_key(tmp_path):
    result = manage("check", VAR_DIR=str(tmp_path), **{**PRODUCTION, "SECRET_KEY": "x" * 64})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_refuses_to_start_without_a_key_for_personal_data(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "PERSONAL_DATA_KEY"}
    result = manage("check", VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert "PERSONAL_DATA_KEY must be set" in result.stderr


def test_debug_off_refuses_an_open_host_list(tmp_path):
    result = manage("check", VAR_DIR=str(tmp_path), **{**PRODUCTION, "ALLOWED_HOSTS": "*"})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


@pytest.mark.parametrize(
    "setting, value, words",
    [
        ("SECRET_KEY", "abcde" * 10, "SECRET_KEY must be set"),
        ("SITE_URL", "http://status.example.nhs.uk", "SITE_URL must start https://"),
        ("SMS_BACKEND", "outbox", "SMS_BACKEND must be twilio"),
        ("EMAIL_URL", "consolemail://", "EMAIL_URL must name an SMTP server"),
        ("WEBHOOKS_ALLOW_PRIVATE", "true", "WEBHOOKS_ALLOW_PRIVATE must be off"),
    ],
)
def test_debug_off_refuses_each_unsafe_setting_and_check_deploy_names_it(tmp_path, setting, value, words):
    env = {**PRODUCTION, setting: value}
    refused = manage("check", VAR_DIR=str(tmp_path), **env)
    assert refused.returncode != 0 and words in refused.stderr
    # A drill on one machine may start with it (never with a weak key); check --deploy still names it.
    drill = manage("check", "--deploy", VAR_DIR=str(tmp_path), ACCEPT_UNSAFE_SETTINGS="true", **env)
    assert drill.returncode != 0 and words in drill.stderr


def test_every_setting_read_from_the_environment_is_in_the_readme():
    # An operator learns the settings from the README's table: one read here but missing there is invisible.
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_0-9]+)"', (ROOT / "config" / "settings.py").read_text()))
    readme = (ROOT / "README.md").read_text()
    assert read and sorted(name for name in read if f"`{name}`" not in readme) == []
