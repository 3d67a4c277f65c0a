"""One JSON object per log line, for production's log shipper (settings.LOGGING, LOG_FORMAT=json)."""

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter


class JsonLines(JsonFormatter):
    """python-json-logger writes every extra attribute of a record. Django puts the request itself on
    its 4xx and 5xx records, and the request's repr is its path, keys and all ("<WSGIRequest: GET
    '/subscribe/manage/<token>/'>"): it is never written. The message says the path, with keys cut out
    (common/log_redaction.py)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__(*args, **kwargs)
