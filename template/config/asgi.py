"""ASGI entry point for async servers: `uvicorn config.asgi:application`."""

import os

from django.core.asgi import get_asgi_application

from config.startup import start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = start(get_asgi_application)
