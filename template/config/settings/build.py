"""Build time: what `collectstatic` needs while an image or a platform build runs, and no secret.

    DJANGO_SETTINGS_MODULE=config.settings.build python manage.py collectstatic --noinput

A build has no database and no secrets (platforms hand them to running processes only), so these
settings are base.py with a fixed, public key that signs nothing. They never serve: no host is
allowed, so any request would be refused.
"""

from .base import *  # noqa: F403

DEBUG = False
# Public on purpose: collecting static files signs nothing.
SECRET_KEY = "django-insecure-build-only-never-serves-requests"  # noqa: S105
ALLOWED_HOSTS = []
