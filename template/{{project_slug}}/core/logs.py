"""Logging: one JSON object per line on standard output in production, readable text locally.

Every record carries the request id (django-guid's X-Request-ID) when it comes from a request.
Each event is one line: Django's own console handler (plain text, when DEBUG is on) is replaced
by ours, and libraries that log routine events at INFO log only their warnings.
"""


def logging_config(*, style, level):
    """The LOGGING setting. style is "json" (production, tests) or "text" (local development)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId"}},
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
        },
    }
