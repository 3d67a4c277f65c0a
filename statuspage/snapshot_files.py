"""Where each public path's copy lives in the static snapshot, and what it is."""

from pathlib import Path

VERSION_FILE = ".version"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
}


def file_for(directory: Path, path: str) -> Path:
    """/ -> index.html, /history/ -> history/index.html, /api/v2/x.json -> api/v2/x.json."""
    relative = path.lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    return directory / relative


def content_type(file: Path) -> str:
    return CONTENT_TYPES.get(file.suffix, "application/octet-stream")
