"""Where each public path's copy lives in the static snapshot, and what it is."""

from pathlib import Path

VERSION_FILE = ".version"
# A page's live part, as htmx asks for it every 30 s (HX-Request: true), beside the whole page:
# index.html and index.hx.html. nginx picks by the header (deploy/nginx), so a surge of open
# pages refreshing themselves is served from disk too.
LIVE_SUFFIX = ".hx"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
}


def is_page(path: str) -> bool:
    """A page (it has a live part for htmx), not a feed or an API answer."""
    return path.endswith("/")


def file_for(directory: Path, path: str, live: bool = False) -> Path:
    """/ -> index.html, /history/ -> history/index.html, /api/v2/x.json -> api/v2/x.json; a page's
    live part -> index.hx.html."""
    relative = path.lstrip("/")
    if is_page(path) or not relative:
        relative += f"index{LIVE_SUFFIX if live else ''}.html"
    return directory / relative


def content_type(file: Path) -> str:
    return CONTENT_TYPES.get(file.suffix, "application/octet-stream")
