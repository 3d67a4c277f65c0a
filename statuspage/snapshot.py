"""A static copy of the public site, rewritten on every change.

Any static server or CDN pointed at SNAPSHOT_DIR keeps serving the last known state
while the application is down or swamped (docs/operations.md). The views render the
files, so the snapshot is byte-for-byte what the site would answer.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django_htmx.middleware import HtmxDetails

from statuspage import language
from statuspage.language import WELSH
from statuspage.models import Component, Incident
from statuspage.response_cache import current_version
from statuspage.snapshot_files import VERSION_FILE, file_for, is_page
from statuspage.uptime import HISTORY_DAYS

API_NAMES = (
    "api-status",
    "api-summary",
    "api-components",
    "api-incidents",
    "api-incidents-unresolved",
    "api-maintenances",
    "api-maintenances-upcoming",
    "api-maintenances-active",
)


def _pages() -> tuple[list[str], list[str]]:
    """The front pages (home, history), and every component and recent incident."""
    recent = timezone.now() - timezone.timedelta(days=HISTORY_DAYS)
    front = [reverse("index"), reverse("history")]
    rest = [
        *(c.get_absolute_url() for c in Component.objects.only("slug")),
        *(i.get_absolute_url() for i in Incident.objects.filter(updated_at__gte=recent).only("code")),
    ]
    return front, rest


def paths() -> tuple[list[str], list[str]]:
    """Every page in English and in Welsh, and the feeds and API (one language: their contract):
    (the front: the home pages and the API clinical systems poll, what most people read), (the rest).
    """
    with translation.override(settings.LANGUAGE_CODE):
        english, english_rest = _pages()
    with translation.override(WELSH):
        welsh, welsh_rest = _pages()
    feeds = [reverse("history-atom"), reverse("history-rss"), reverse("maintenance-ics")]
    api = [reverse(name) for name in API_NAMES]
    return [english[0], welsh[0], *api], [english[1], welsh[1], *feeds, *english_rest, *welsh_rest]


def render(path: str, live: bool = False) -> bytes:
    """The whole answer at ``path``, or (``live``) the part htmx asks for."""
    site = urlsplit(settings.SITE_URL)
    headers = {"HX-Request": "true"} if live else {}
    request = RequestFactory().get(path, HTTP_HOST=site.netloc, secure=site.scheme == "https", headers=headers)
    request.htmx = HtmxDetails(request)
    with translation.override(language.of_path(path)):
        request.LANGUAGE_CODE = translation.get_language()
        match = resolve(path)
        response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return response.content


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)


def write(directory: Path | None = None, force: bool = False) -> bool:
    """Write the snapshot unless it is already at the current version. Safe to run twice."""
    directory = Path(directory or settings.SNAPSHOT_DIR)
    # Read now: a change made within the second after the last write must not look already written.
    version = str(current_version(fresh=True))
    marker = directory / VERSION_FILE
    if not force and marker.exists() and marker.read_text() == version:
        return False
    front, rest = paths()
    for path in front:
        _write_path(directory, path)
    shown = version
    for path in rest:
        _write_path(directory, path)
        # A change while the hundreds of other pages are written goes out on the front pages at once,
        # not a whole pass later. The marker keeps the version this pass began at, so the write the
        # change queued still makes a whole pass of its own.
        if (now := str(current_version(fresh=True))) != shown:
            for again in front:
                _write_path(directory, again)
            shown = now
    _write_atomically(marker, version.encode())
    return True


def _write_path(directory: Path, path: str) -> None:
    _write_atomically(file_for(directory, path), render(path))
    if is_page(path):
        _write_atomically(file_for(directory, path, live=True), render(path, live=True))
