"""Structured logs: one JSON object per line, so a log collector can search by field."""

import json
import logging

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Formats a record as JSON: time, level, logger, message, the `extra` fields, any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RefusalsLoggedOnce(logging.Filter):
    """Drops Django's own record of a 403 or 404 answer ("Forbidden (Permission denied)", with
    the whole traceback, and "Not Found"): every refused access is already logged once, with who,
    what and why and no traceback, to "ilacs.security" (accounts.permissions). A 404 for an address
    that matches no page is not a refused access and is not logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) not in (403, 404)
