"""Links that are keys (manage, unsubscribe, confirm and set-up links) never reach our logs.

Django logs every 4xx and 5xx with its path ("Not Found: /subscribe/manage/<token>/"), and the
development server logs every request line: the token in such a path would let whoever reads the
logs act as its owner. This filter replaces the token with "…" in any message that carries one.
"""

import logging
import re

# The path segment after one of these prefixes is a secret.
KEYED = re.compile(
    r"(/(?:cy/)?(?:subscribe/(?:manage|unsubscribe|confirm)|webhooks/(?:manage|unsubscribe|confirm)"
    r"|console/set-up/[^/\s]+)/)[^/\s?\"']+"
)


def redact(text: str) -> str:
    return KEYED.sub(r"\1…", text)


class RedactKeyedLinks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = redact(record.getMessage())
            record.args = None
        else:
            record.msg = redact(str(record.msg))
        return True
