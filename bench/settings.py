"""The production settings plus the ceiling views: same gunicorn, same middleware."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
