"""Keep secrets out of the logs. Calendar feeds, invitations, password resets and unsubscribe links carry their
token in the URL, and Django logs the path of every 4xx/5xx request: the filter masks any long random-looking path
segment or query value (24+ letters, digits, - and _) before a record is written."""

import logging
import re

TOKEN = re.compile(r"(?<=[/=])[A-Za-z0-9_\-:.]{24,}")  # a path segment or a query value that looks like a token


def redact(text: str) -> str:
    return TOKEN.sub("[redacted]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True
