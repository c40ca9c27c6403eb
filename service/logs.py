"""Keep questions out of the server logs.

Questions can be personal, and POST bodies are never logged, but a GET such as
``/api/search?q=...`` puts the question in the URL that uvicorn's access log
writes. A filter on the ``uvicorn.access`` logger replaces the value of every
question-bearing query parameter with ``[redacted]`` before a handler sees it.
"""

from __future__ import annotations

import logging
import re

__all__ = ["REDACTED", "RedactQuestions", "redact_access_log", "redact_url"]

REDACTED = "[redacted]"
#: Query parameters that carry question text.
QUESTION_PARAMS = ("q", "question")
_PARAM = re.compile(rf"(?P<key>(?:^|[?&;])(?:{'|'.join(QUESTION_PARAMS)})=)[^&;#\s]*")
# '[redacted]' as it would appear in a URL, so the access line stays a URL
_REDACTED_URL = "%5Bredacted%5D"


def redact_url(text: str) -> str:
    """``/api/search?q=secret&k=3`` -> ``/api/search?q=%5Bredacted%5D&k=3``."""
    return _PARAM.sub(lambda m: m.group("key") + _REDACTED_URL, text)


class RedactQuestions(logging.Filter):
    """Redacts question parameters in a record's message and string arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_url(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_url(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact_url(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


def redact_access_log() -> None:
    """Install the filter on uvicorn's access logger (idempotent)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQuestions) for f in logger.filters):
        logger.addFilter(RedactQuestions())
