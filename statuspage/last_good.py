"""The last good answer for each public path and representation: what is served, saying so, while a
page cannot be rendered (our database or cache is down), and the plain 503 when there is none at all."""

import hashlib
import logging
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import dateformat, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from statuspage import language
from statuspage.snapshot_files import content_type, file_for
from statuspage.wording import uk_time

log = logging.getLogger(__name__)
# Bump with response_cache.ENTRY_FORMAT: the kept entries have the same shape.
FORMAT = 2
# The last good answer for each path and representation, apart from the version and the minute's
# expiry: what is served if a page cannot be rendered (the database or cache is down). Kept here, in
# the shared cache for a day, and, for whole pages, in the static snapshot on disk.
_kept: dict[str, dict] = {}
ENTRIES = 500
TTL = 24 * 3600


def etag_of(body: bytes) -> str:
    """A strong ETag from the bytes themselves."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def key_for(key: str) -> str:
    # The entry's key without its version: the last good answer outlives every change.
    _format, _version, rest = key.split(":", 2)
    return f"lastgood{FORMAT}:{rest}"


def keep(good_key: str, entry: dict) -> None:
    if len(_kept) >= ENTRIES:
        _kept.clear()
    _kept[good_key] = entry
    try:
        cache.set(good_key, entry, TTL)
    except Exception as e:  # this process still keeps its own
        log.warning("shared cache unavailable (%s); last good copy kept in this process only", type(e).__name__)


def find(good_key: str, request: HttpRequest, is_htmx: bool, plain: bool) -> dict | None:
    """This process's last good copy, else the shared cache's, else (with no query) the snapshot's
    file on disk: the whole page, or its live part for htmx."""
    entry = _kept.get(good_key)
    if entry is not None:
        return entry
    try:
        entry = cache.get(good_key)
    except Exception:  # the shared cache is down too
        entry = None
    if entry is not None or not plain:
        return entry
    directory = Path(settings.SNAPSHOT_DIR).resolve()
    file = file_for(directory, request.path, live=is_htmx).resolve()
    if not file.is_relative_to(directory):
        return None
    try:
        body, rendered = file.read_bytes(), file.stat().st_mtime
    except OSError:
        return None
    return {
        "body": body,
        "content_type": content_type(file),
        "etag": etag_of(body),
        "rendered": rendered,
        "gzip": None,
    }


# Where a whole page's content begins (templates/base.html): the notice goes first inside it.
MAIN = b'<main class="nhsuk-main-wrapper" id="maincontent">'


def said_to_be_old(entry: dict, request: HttpRequest) -> dict:
    """A whole page served from its last good copy says so, and when it was written, in its language."""
    if not entry["content_type"].startswith("text/html") or MAIN not in entry["body"]:
        return entry
    written = timezone.localtime(datetime.fromtimestamp(entry["rendered"], tz=UTC))
    with translation.override(language.of_path(request.path)):
        words = _("We cannot update this page just now. It shows what we knew at %(time)s on %(date)s.") % {
            "time": uk_time(written),
            "date": dateformat.format(written, "j F"),
        }
    notice = f'<div class="nhsuk-warning-callout"><p>{escape(words)}</p></div>'.encode()
    return {**entry, "body": entry["body"].replace(MAIN, MAIN + notice, 1), "gzip": None}


def unavailable(request: HttpRequest) -> HttpResponse:
    """Nothing good to serve at all (never rendered here, nor shared, nor in the snapshot)."""
    if request.path.startswith("/api/"):
        # A problem in JSON, as api/problems.py writes them (that package sits above this module).
        detail = "This answer cannot be read just now. Try again shortly."
        body = {"type": "about:blank", "status": 503, "title": "Service Unavailable", "detail": detail}
        response: HttpResponse = JsonResponse(body, status=503, content_type="application/problem+json")
    else:
        response = render(request, "statuspage/unavailable.html", status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def forget() -> None:
    _kept.clear()
