"""Local development: DEBUG on, and no services needed (SQLite, local-memory cache, console email).

A .env file beside manage.py can still point DATABASE_URL or REDIS_URL at real services.
"""

from .base import *  # noqa: F403
from .base import LOG_LEVEL, logging_config

DEBUG = True
# Fixed and public on purpose: it only ever signs local development sessions.
SECRET_KEY = "django-insecure-local-development-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
INTERNAL_IPS = ["127.0.0.1"]
# Readable lines instead of production's JSON.
LOGGING = logging_config(style="text", level=LOG_LEVEL)
