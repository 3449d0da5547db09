"""Error tracking with Sentry: on exactly when SENTRY_DSN is set.

No personal data is sent (send_default_pii off); performance traces are sampled at
SENTRY_TRACES_SAMPLE_RATE, except for health probes and static files, which are never traced
(config/sentry.py).
"""

from config.env import env

SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)

if SENTRY_DSN:
    from config.sentry import init_sentry

    init_sentry(SENTRY_DSN, SENTRY_ENVIRONMENT)
