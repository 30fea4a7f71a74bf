"""A logging filter that keeps national ID numbers out of every log line.

Only plausible GB 11643 citizen identity numbers are masked: 17 digits then a digit or X,
standing alone (no letter, digit or decimal point touching either end), whose digits 7–14
are a birth date (years 1800–2099). Other long digit runs, such as a Celery task's run time
("succeeded in 0.004612345678901234567s") or a 20-digit order number, are left alone.
The traceback of a logged exception is masked too: database errors quote the values of a
violated unique key.
"""

import logging
import re
import traceback

_ID_RE = re.compile(
    r"(?<![0-9A-Za-z.])"
    r"([1-9]\d{3})"  # kept: province and city
    r"(\d{2}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"  # county + birth date
    r"(\d{3}[\dXx])"  # kept: sequence and check character
    r"(?![0-9A-Za-z]|\.\d)"
)


def redact(text: str) -> str:
    return _ID_RE.sub(r"\1**********\3", text)


class RedactSensitiveFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # What logging.Formatter.formatException would produce, masked; formatters
            # use exc_text when it is set.
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = redact(text)
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
