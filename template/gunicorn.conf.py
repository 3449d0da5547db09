"""gunicorn's settings: `gunicorn config.wsgi`, run from this directory, reads them.

See https://docs.gunicorn.org/en/stable/settings.html; command-line options override these.
"""

# Load the application once, before the workers start: settings that refuse to load (production
# without its variables) stop gunicorn with their one-line message, instead of every worker
# failing in turn.
preload_app = True
