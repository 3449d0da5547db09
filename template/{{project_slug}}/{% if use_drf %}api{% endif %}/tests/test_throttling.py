"""Sign-in and the other "auth" endpoints are throttled per client IP: 429 with Retry-After."""

import itertools
import logging
import time

import pytest
from django.conf import settings
from django.urls import reverse

from ...core.tests.black_hole import black_hole
from ...users.tests.factories import DEFAULT_PASSWORD, UserFactory
from .. import throttling
from .helpers import errors

pytestmark = pytest.mark.django_db


def configured_attempts():
    """N of the "auth" rate, N/period (API_THROTTLE_AUTH)."""
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"]
    return int(rate.split("/")[0])


GUESSES = itertools.count()


def failed_sign_in(api, **extra):
    # A new address each time: the per-account lockout (django-axes) must not step in first.
    body = {"email": f"guess{next(GUESSES)}@example.com", "password": "a-wrong-guess"}
    return api.post(reverse("api:token"), body, **extra)


def test_sign_in_is_throttled_after_the_configured_attempts(api):
    attempts = [failed_sign_in(api).status_code for _ in range(configured_attempts())]

    throttled = failed_sign_in(api)

    assert set(attempts) == {401}
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert errors(throttled) == ("client_error", {(None, "throttled")})


def test_the_auth_endpoints_share_one_budget(api):
    for _ in range(configured_attempts()):
        failed_sign_in(api)

    response = api.post(reverse("api:password-reset"), {"email": "guess@example.com"})

    assert response.status_code == 429


def test_another_client_ip_is_not_throttled(api):
    for _ in range(configured_attempts() + 1):
        failed_sign_in(api)

    assert failed_sign_in(api, REMOTE_ADDR="203.0.113.9").status_code == 401


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(api):
    for _ in range(configured_attempts()):
        failed_sign_in(api)

    response = failed_sign_in(api, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert response.status_code == 429


def test_clients_are_told_apart_by_the_trusted_header(api, settings):
    settings.IPWARE_META_PRECEDENCE_ORDER = ("HTTP_DO_CONNECTING_IP",)
    for _ in range(configured_attempts()):
        failed_sign_in(api, HTTP_DO_CONNECTING_IP="198.51.100.30")

    same_client = failed_sign_in(api, HTTP_DO_CONNECTING_IP="198.51.100.30")
    other_client = failed_sign_in(api, HTTP_DO_CONNECTING_IP="198.51.100.31")

    assert same_client.status_code == 429
    assert other_client.status_code == 401


def test_an_account_locked_out_after_failed_sign_ins_gets_a_json_429(api):
    user = UserFactory(email="target@example.com", email_verified=True)
    attempt = {"email": user.email, "password": "a-wrong-guess"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert api.post(reverse("api:token"), attempt).status_code == 401

    locked = api.post(reverse("api:token"), attempt)
    right_password = api.post(reverse("api:token"), {**attempt, "password": DEFAULT_PASSWORD})

    assert locked.status_code == 429
    assert errors(locked) == ("client_error", {(None, "locked_out")})
    assert right_password.status_code == 429
    assert int(right_password["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()


def test_a_hung_cache_turns_throttling_off_not_the_api(signed_in, settings, monkeypatch, caplog):
    monkeypatch.setattr(throttling.FailOpenMixin, "paused_until", 0.0)
    settings.API_DOCS_PUBLIC = True  # the schema, as anyone may read it where it is public
    with black_hole() as (host, port):
        # The project's Redis cache (its REDIS_TIMEOUT), on a server that never answers.
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://{host}:{port}/0",
                "OPTIONS": {
                    "socket_connect_timeout": settings.REDIS_TIMEOUT,
                    "socket_timeout": settings.REDIS_TIMEOUT,
                },
            }
        }
        with caplog.at_level(logging.WARNING, logger=throttling.__name__):
            started = time.monotonic()
            me = signed_in.get(reverse("api:me"))
            seconds = time.monotonic() - started
            schema = signed_in.get(reverse("api:schema"))
            sign_ins = [failed_sign_in(signed_in) for _ in range(configured_attempts() + 1)]

    assert me.status_code == 200
    assert schema.status_code == 200
    assert {response.status_code for response in sign_ins} == {401}
    # The first request waited for Redis (REDIS_TIMEOUT); the others went straight through.
    assert seconds < 1
    assert "API throttling is off" in caplog.text
