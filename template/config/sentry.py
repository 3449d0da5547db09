"""Sentry's start-up: called by config/integrations/sentry.py when SENTRY_DSN is set.

Imported only then, so a project without Sentry never imports sentry_sdk.
"""

import sentry_sdk
from django.conf import settings
from sentry_sdk.integrations.django import DjangoIntegration

UNTRACED_PATH_PREFIXES = ("/health/", "/static/", "/media/", "/favicon.ico")


def request_path(sampling_context):
    """The path of the request being sampled, under WSGI or ASGI."""
    if "wsgi_environ" in sampling_context:
        return sampling_context["wsgi_environ"].get("PATH_INFO", "")
    return sampling_context.get("asgi_scope", {}).get("path", "")


def traces_sampler(sampling_context):
    """SENTRY_TRACES_SAMPLE_RATE, except 0 for health probes and static files."""
    if request_path(sampling_context).startswith(UNTRACED_PATH_PREFIXES):
        return 0.0
    return settings.SENTRY_TRACES_SAMPLE_RATE


def init_sentry(dsn, environment):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        traces_sampler=traces_sampler,
    )
