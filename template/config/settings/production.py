"""Production: refuse to start without what a deployment needs, and serve over HTTPS only.

Reference: https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
`python manage.py check --deploy --settings=config.settings.production` reports no warnings.
"""

from django.core.exceptions import ImproperlyConfigured
from redis import ConnectionPool

from .base import *  # noqa: F403
from .base import ADMIN_URL, DATABASES, EMAIL_BACKEND, REDIS_URL, UNSENT_EMAIL_BACKEND, env

# FAIL FAST
# ------------------------------------------------------------------------------
REQUIRED_VARIABLES = ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "ADMIN_URL")
missing = [name for name in REQUIRED_VARIABLES if not env.str(name, default="").strip()]
if missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: "
        f"{', '.join(missing)} (see .env.example)."
    )

SECRET_KEY = env.str("SECRET_KEY")
if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "SECRET_KEY is not a production key: use 50 or more random characters, for example "
        "from `python -c 'from django.core.management.utils import get_random_secret_key as k; "
        "print(k())'`."
    )
ALLOWED_HOSTS = [host for host in env.list("ALLOWED_HOSTS") if host.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS names no host: list them, comma-separated.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL: postgres://USER@HOST/NAME.")
if not DATABASES["default"]["NAME"]:
    raise ImproperlyConfigured("DATABASE_URL names no database: end it with /NAME.")
if REDIS_URL:
    try:
        ConnectionPool.from_url(REDIS_URL)
    except ValueError as error:
        raise ImproperlyConfigured(f"REDIS_URL is not a Redis URL: {error}.") from None
# The admin is the first URL attackers try: not /admin/ in production (base.py reads ADMIN_URL).
if ADMIN_URL.strip("/") == "admin" or not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/"):
    raise ImproperlyConfigured(
        f"ADMIN_URL {ADMIN_URL!r} must be a path other than admin/, with a trailing slash and no "
        "leading one, e.g. staff-7f3k/."
    )
# Origins (https://www.example.com) allowed to POST from another host, such as a separate front end.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DEBUG = False

# EMAIL
# ------------------------------------------------------------------------------
# Without EMAIL_URL, or with a backend that sends nothing (consolemail://, locmem, file, dummy),
# password reset and verification links would be printed to the logs or lost: refused, unless
# EMAIL_ALLOW_CONSOLE=true says it is deliberate. Then nothing is sent and each message is logged
# as one warning line without its body.
UNSENT_BACKENDS = {
    f"django.core.mail.backends.{name}.EmailBackend"
    for name in ("console", "locmem", "filebased", "dummy")
}
if EMAIL_BACKEND in UNSENT_BACKENDS:
    deliberate = env.bool("EMAIL_ALLOW_CONSOLE", default=False)
    if not deliberate:
        raise ImproperlyConfigured(
            "EMAIL_URL is unset or does not send email: use smtp+tls://USER:PASSWORD@HOST:587, "
            "or set EMAIL_ALLOW_CONSOLE=true to run without email on purpose."
        )
    EMAIL_BACKEND = UNSENT_EMAIL_BACKEND

# HTTPS
# ------------------------------------------------------------------------------
# The platform's proxy terminates TLS and says so in X-Forwarded-Proto; trust only that header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Browsers remember for SECURE_HSTS_SECONDS that the site is HTTPS-only. Lower it (say to 3600)
# while you first roll out HTTPS, then raise it back to a year.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    # security.W021 asks for HSTS preloading. Preloading is hard to undo (browsers ship the list),
    # so it is opt-in: set SECURE_HSTS_PRELOAD=true when you submit the domain to hstspreload.org.
    "security.W021",
]
