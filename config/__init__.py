"""The Django project: settings, URLs, the Celery app, WSGI and ASGI. It assembles the apps and
holds no domain logic (docs/architecture.md)."""

# Loaded with Django, so @shared_task binds to this app in web processes too.
from config import checks  # noqa: F401 -- registers the deployment checks
from config.celery import app as celery_app

__all__ = ("celery_app",)
