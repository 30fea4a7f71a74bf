"""A logging filter that keeps national ID numbers out of every log line."""

import logging
import re

# 17 digits then a digit or X: a GB 11643 citizen identity number.
_ID_RE = re.compile(r"(?<!\d)(\d{4})\d{10}(\d{3}[\dXx])(?!\d)")


def redact(text: str) -> str:
    return _ID_RE.sub(r"\1**********\2", text)


class RedactSensitiveFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
