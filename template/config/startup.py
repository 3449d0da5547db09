"""How manage.py, wsgi.py and asgi.py start: a settings refusal is one line, not a traceback.

Production settings refuse to load without the variables they need (ImproperlyConfigured, naming
them). Started through `start`, the process then prints that message to stderr and exits, instead
of a long traceback per process.
"""

import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# gunicorn.conf.py loads the app before the workers start; should a worker load it, gunicorn stops
# (instead of restarting it forever) when it exits with this status, its APP_LOAD_ERROR.
EXIT_STATUS = 4


def start(entry_point, *args):
    """Return `entry_point(*args)`; exit with one line if the settings refuse to load."""
    try:
        return entry_point(*args)
    except ImproperlyConfigured as refusal:
        if settings.configured:  # the settings loaded: the traceback shows what else is wrong
            raise
        print(refusal, file=sys.stderr)
        sys.exit(EXIT_STATUS)
