"""Whole-response caching for the public pages and API.

Every change bumps one version number in the shared cache (after its transaction
commits: statuspage/after_change.py), so every cached response is invalidated at once; entries also expire after
a minute because uptime bars move with the clock alone. Responses carry a content
ETag, Last-Modified and a Cache-Control that lets browsers and CDNs keep serving
the last good answer while we revalidate or are down.
"""

import gzip
import hashlib
import logging
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe

from common.dependencies import DOWN
from common.shared_version import forget_all, shared_version
from statuspage import last_good

log = logging.getLogger(__name__)

VERSION_KEY = "statuspage:version"
# Bump when the shape of a cached entry changes, so a rolling deploy never reads the old shape.
ENTRY_FORMAT = 2
ENTRY_TTL = 60
# Compressed once when the entry is filled, so a surge costs no CPU for gzip.
GZIP_MIN_BYTES = 1024
# Each process keeps its own copy of the entries it served. Keys carry the shared
# version, so a change anywhere still invalidates at once: a request costs one small
# read of the version instead of fetching the whole body from Redis.
_local: dict[str, dict] = {}
LOCAL_ENTRIES = 200


_pages = shared_version(VERSION_KEY)


def current_version(fresh: bool = False) -> int:
    """The page version; ``fresh`` reads it from the shared cache now, not this process's copy of the last second."""
    if fresh:
        _pages.forget()
    return _pages.current()


def bump_version() -> None:
    _pages.bump()


def forget_local() -> None:
    """Drop this process's copies (tests do, when they clear the shared cache)."""
    forget_all()
    _local.clear()
    last_good.forget()


def cache_control() -> str:
    return (
        f"public, max-age={settings.CACHE_MAX_AGE}, stale-while-revalidate={settings.CACHE_MAX_AGE * 4}, "
        "stale-if-error=86400"
    )


def public_cache(cors: bool = False, query: tuple[str, ...] = ()) -> Callable:
    """Cache a GET view's whole response, keyed by path, htmx-ness and the state version.

    ``query``: the parameters that change the answer. Only they, trimmed, go into the key: any
    other parameter (a cache-buster, say) cannot multiply the entries, and no page may render one.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            is_htmx = bool(getattr(request, "htmx", False))
            # An odd path is hashed: whatever a client sends, the key stays short and plain.
            plain = (
                len(request.path) <= 200
                and request.path.isascii()
                and request.path.isprintable()
                and " " not in request.path
            )
            path = request.path if plain else hashlib.blake2b(request.path.encode()).hexdigest()
            key = f"resp{ENTRY_FORMAT}:{current_version()}:{int(is_htmx)}:{path}"
            if query:
                # Exactly as given (trimmed): the page echoes it, so what is cached is what was asked.
                asked = "&".join(f"{name}={request.GET.get(name, '').strip()}" for name in query)
                # Hashed: whatever a client sends, the key stays short and safe for any cache backend.
                key += "?" + hashlib.blake2b(asked.encode(), digest_size=16).hexdigest()
            good_key = last_good.key_for(key)
            entry = _cached_entry(key)
            stale = False
            if entry is None:
                try:
                    response = view(request, *args, **kwargs)
                except DOWN:
                    # Our database (or the shared cache under the view) is down: the last good answer, not a 500.
                    log.exception("%s could not be rendered; serving its last good copy", request.path)
                    entry = last_good.find(good_key, request, is_htmx, plain=not query or not request.GET)
                    if entry is None:
                        return last_good.unavailable(request)
                    entry, stale = last_good.said_to_be_old(entry, request), True
                else:
                    if response.status_code != 200:
                        return _finish(response, cors, cacheable=False)
                    entry = _entry(response)
                    _share(key, entry)
                    _remember(key, entry)
                    last_good.keep(good_key, entry)
            gzipped = entry["gzip"] is not None and accepts_gzip(request.headers.get("Accept-Encoding", ""))
            # A strong ETag names one representation: the gzipped bytes get their own.
            etag = entry["etag"][:-1] + '-gzip"' if gzipped else entry["etag"]
            if _not_modified(request, etag, entry["rendered"]):
                response = HttpResponseNotModified()
            elif gzipped:
                response = HttpResponse(entry["gzip"], content_type=entry["content_type"])
                response["Content-Encoding"] = "gzip"
            else:
                response = HttpResponse(entry["body"], content_type=entry["content_type"])
            response["ETag"] = etag
            response["Last-Modified"] = http_date(entry["rendered"])
            if stale:
                # Said plainly, and not to be kept downstream as if it were fresh.
                response["X-Last-Good"] = http_date(entry["rendered"])
            return _finish(response, cors, cacheable=not stale)

        return wrapper

    return decorator


def accepts_gzip(header: str) -> bool:
    """RFC 9110: gzip (or *) listed with a q-value above zero. ``gzip;q=0`` means "not gzip"."""
    for part in header.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        return q > 0
    return False


def _entry(response: HttpResponse) -> dict:
    body = response.content
    return {
        "body": body,
        "content_type": response["Content-Type"],
        "etag": last_good.etag_of(body),
        "rendered": time.time(),
        "gzip": gzip.compress(body, 6, mtime=0) if len(body) >= GZIP_MIN_BYTES else None,
    }


def _share(key: str, entry: dict) -> None:
    try:
        cache.set(key, entry, ENTRY_TTL)
    except Exception as e:  # without the shared cache each node renders for itself
        log.warning("shared cache unavailable (%s); serving this node's copy", type(e).__name__)


def _cached_entry(key: str) -> dict | None:
    entry = _local.get(key)
    if entry is not None and time.time() - entry["rendered"] < ENTRY_TTL:
        return entry
    try:
        entry = cache.get(key)
    except Exception as e:  # the page is still served, rendered here
        log.warning("shared cache unavailable (%s); rendering", type(e).__name__)
        return None
    if entry is not None:
        _remember(key, entry)
    return entry


def _remember(key: str, entry: dict) -> None:
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()
    _local[key] = entry


def _not_modified(request: HttpRequest, etag: str, rendered: float) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(rendered) <= since


def _finish(response: HttpResponse, cors: bool, cacheable: bool) -> HttpResponse:
    response["Cache-Control"] = cache_control() if cacheable else "no-cache"
    # One URL serves a whole page or an htmx fragment: caches must keep them apart.
    response["Vary"] = "HX-Request, Accept-Encoding"
    if cors:
        response["Access-Control-Allow-Origin"] = "*"
    return response
