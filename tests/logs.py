"""Log lines as production writes them, kept for a test to read; and waiting for what happens elsewhere."""

import logging
import logging.config
import time
from contextlib import contextmanager

from django.conf import settings

from common.log_redaction import RedactKeyedLinks
from common.request_ids import RequestIdFilter


def production_json() -> logging.Formatter:
    """settings.LOGGING's JSON formatter, built as dictConfig builds it."""
    config = settings.LOGGING
    return logging.config.DictConfigurator(config).configure_custom(dict(config["formatters"]["json"]))


class Kept(logging.Handler):
    """Every record, formatted (plain, or ``json=True`` as production writes it), through the filters
    our settings give every handler."""

    def __init__(self, json: bool = False) -> None:
        super().__init__(level=logging.DEBUG)
        if json:
            self.setFormatter(production_json())
        self.addFilter(RequestIdFilter())
        self.addFilter(RedactKeyedLinks())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def kept(logger: str = "", json: bool = False):
    """The lines ``logger`` (the root, by default) writes inside the block."""
    handler = Kept(json)
    target = logging.getLogger(logger)
    target.addHandler(handler)
    try:
        yield handler.lines
    finally:
        target.removeHandler(handler)


def eventually(check, seconds: float = 10.0) -> bool:
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        if check():
            return True
        time.sleep(0.1)
    return False
