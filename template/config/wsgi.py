"""WSGI entry point for production servers: `gunicorn config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from config.startup import start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = start(get_wsgi_application)
