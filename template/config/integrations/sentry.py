"""Error tracking with Sentry: on exactly when SENTRY_DSN is set.

No personal data is sent (send_default_pii off); performance traces are sampled at
SENTRY_TRACES_SAMPLE_RATE, except for health probes and static files, which are never traced.
"""

from config.env import env

__all__ = ["SENTRY_DSN", "SENTRY_ENVIRONMENT", "SENTRY_TRACES_SAMPLE_RATE"]

SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
UNTRACED_PATH_PREFIXES = ("/health/", "/static/", "/media/", "/favicon.ico")


def request_path(sampling_context):
    """The path of the request being sampled, under WSGI or ASGI."""
    if "wsgi_environ" in sampling_context:
        return sampling_context["wsgi_environ"].get("PATH_INFO", "")
    return sampling_context.get("asgi_scope", {}).get("path", "")


def traces_sampler(sampling_context):
    if request_path(sampling_context).startswith(UNTRACED_PATH_PREFIXES):
        return 0.0
    return SENTRY_TRACES_SAMPLE_RATE


def init_sentry(dsn, environment):
    # Imported only here: sentry_sdk takes about 0.4 s to import, which a project without
    # SENTRY_DSN need not pay at every start.
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        traces_sampler=traces_sampler,
    )


if SENTRY_DSN:
    init_sentry(SENTRY_DSN, SENTRY_ENVIRONMENT)
