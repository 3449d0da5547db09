"""Sentry: on exactly when SENTRY_DSN is set, without personal data, never tracing probes.

sentry_sdk.init is recorded, not run: a test never talks to Sentry.
"""

import os
import subprocess
import sys

import pytest
import sentry_sdk

from config import sentry

from .conftest import PRODUCTION_ENVIRONMENT


@pytest.fixture
def sentry_init_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    return calls


def test_sentry_is_off_without_a_dsn(load_settings, sentry_init_calls):
    settings = load_settings("production", **PRODUCTION_ENVIRONMENT)

    assert settings.SENTRY_DSN == ""
    assert sentry_init_calls == []


def test_without_a_dsn_sentry_sdk_is_not_even_imported(settings):
    """Importing sentry_sdk costs start-up time in every process: only when Sentry is on."""
    code = "import django, sys; django.setup(); print('sentry_sdk' in sys.modules)"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "SENTRY_DSN": ""}

    result = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env=environment,
    )

    assert result.stdout.strip() == "False"


def test_sentry_starts_with_a_dsn_and_sends_no_personal_data(load_settings, sentry_init_calls):
    load_settings(
        "production",
        **PRODUCTION_ENVIRONMENT,
        SENTRY_DSN="https://public-key@sentry.example.invalid/42",
        SENTRY_ENVIRONMENT="staging",
    )

    (options,) = sentry_init_calls
    assert options["dsn"] == "https://public-key@sentry.example.invalid/42"
    assert options["environment"] == "staging"
    assert options["send_default_pii"] is False
    assert [type(i).__name__ for i in options["integrations"]] == ["DjangoIntegration"]
    assert options["traces_sampler"]({"wsgi_environ": {"PATH_INFO": "/health/live/"}}) == 0.0


@pytest.mark.parametrize(
    ("context", "rate"),
    [
        ({"wsgi_environ": {"PATH_INFO": "/health/ready/"}}, 0.0),
        ({"wsgi_environ": {"PATH_INFO": "/static/css/site.css"}}, 0.0),
        ({"asgi_scope": {"path": "/health/live/"}}, 0.0),
        ({"wsgi_environ": {"PATH_INFO": "/orders/"}}, 0.25),
        ({"asgi_scope": {"path": "/orders/"}}, 0.25),
    ],
)
def test_health_and_static_requests_are_never_traced(settings, context, rate):
    settings.SENTRY_TRACES_SAMPLE_RATE = 0.25

    assert sentry.traces_sampler(context) == rate
