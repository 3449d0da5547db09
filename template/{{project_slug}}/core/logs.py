"""Logging: one JSON object per line on standard output in production, readable text locally.

Every record carries the request id (django-guid's X-Request-ID) when it comes from a request.
Each event is one line: Django's own console handler (plain text, when DEBUG is on) is replaced
by ours, and libraries that log routine events at INFO log only their warnings.
"""

import logging


class AsWarning(logging.Filter):
    """Logs a record at WARNING and without its traceback.

    For django.security.DisallowedHost: Django logs each request for a host not in ALLOWED_HOSTS
    (scanners send many) as an ERROR with a traceback, though the client gets a plain 400.
    """

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True


def logging_config(*, style, level):
    """The LOGGING setting. style is "json" (production, tests) or "text" (local development)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "django_guid.log_filters.CorrelationId"},
            "as_warning": {"()": AsWarning},
        },
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
                "rename_fields": {
                    "asctime": "timestamp",
                    "levelname": "level",
                    "name": "logger",
                    "correlation_id": "request_id",
                },
            },
            "text": {
                "format": "%(asctime)s %(levelname)-8s %(name)s [%(correlation_id)s] %(message)s",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": style,
                "filters": ["request_id"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Sign-ins, sign-outs, password and admin changes: see core/audit.py.
            "audit": {"level": "INFO"},
            # Django's messages reach the console through the root logger only.
            "django": {"handlers": []},
            # Not a line per request saying that it made up a request id, nor per process start.
            "django_guid": {"level": "WARNING"},
            "axes.apps": {"level": "WARNING"},
            # A request for a host not in ALLOWED_HOSTS: one WARNING line, not an ERROR traceback.
            "django.security.DisallowedHost": {"filters": ["as_warning"]},
        },
    }
