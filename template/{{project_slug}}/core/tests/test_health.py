"""Health endpoints against the real services: what a load balancer or platform probe sees."""

import socket
import time
from concurrent import futures

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.backends.signals import connection_created
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .. import health
from .black_hole import black_hole


@pytest.fixture(autouse=True)
def fresh_check_threads():
    """Each test starts with new check threads: no kept connection, no passed migrations."""
    yield
    health.CHECK_THREADS.close()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answered_within(seconds, request):
    """The response of `request()`; the test fails if it takes longer than `seconds`."""
    executor = futures.ThreadPoolExecutor(max_workers=1)
    try:
        return executor.submit(request).result(timeout=seconds)
    except futures.TimeoutError:
        pytest.fail(f"no answer within {seconds} s")
    finally:
        executor.shutdown(wait=False)


def test_live_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django makes any database access here an error.
    response = client.get("/health/live/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_ready_reports_every_check_with_its_time(client):
    response = client.get("/health/ready/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"database", "cache", "migrations"}
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert isinstance(check["ms"], float)


@pytest.mark.django_db
def test_ready_is_503_when_the_database_is_unreachable(client, monkeypatch):
    # New connections (the checks run in their own threads) go to a closed port.
    monkeypatch.setitem(connection.settings_dict, "PORT", closed_port())
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "s3cret-password")

    ready = client.get("/health/ready/")
    live = client.get("/health/live/")

    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["status"] == "error"
    assert body["checks"]["database"]["error"].startswith("Unavailable")
    assert body["checks"]["cache"]["status"] == "ok"
    assert "s3cret-password" not in ready.content.decode()
    assert "Traceback" not in ready.content.decode()
    assert live.status_code == 200


@pytest.mark.django_db
def test_ready_is_503_when_the_cache_fails(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }

    response = client.get("/health/ready/")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "error"
    assert response.json()["checks"]["database"]["status"] == "ok"
    assert client.get("/health/live/").status_code == 200


@pytest.mark.django_db
def test_ready_is_503_within_a_second_when_the_database_never_answers(
    client, monkeypatch, settings
):
    settings.HEALTH_CHECK_TIMEOUT = 0.2  # the bound, shortened: production's is 0.5 s
    with black_hole() as (host, port):
        monkeypatch.setitem(connection.settings_dict, "HOST", host)
        monkeypatch.setitem(connection.settings_dict, "PORT", port)
        started = time.monotonic()
        ready = answered_within(2, lambda: client.get("/health/ready/"))
        seconds = time.monotonic() - started
        live = client.get("/health/live/")

    assert ready.status_code == 503
    assert seconds < 1
    timed_out = f"Unavailable: Timed out after {settings.HEALTH_CHECK_TIMEOUT:g} s"
    assert ready.json()["checks"]["database"] == {
        "status": "error",
        "ms": settings.HEALTH_CHECK_TIMEOUT * 1000,
        "error": timed_out,
    }
    assert ready.json()["checks"]["cache"]["status"] == "ok"
    assert live.status_code == 200


@pytest.mark.django_db
def test_ready_is_503_within_a_second_when_the_cache_never_answers(client, settings):
    settings.HEALTH_CHECK_TIMEOUT = 0.2  # the bound, shortened: production's is 0.5 s
    with black_hole() as (host, port):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://{host}:{port}/0",
            }
        }
        started = time.monotonic()
        ready = answered_within(2, lambda: client.get("/health/ready/"))
        seconds = time.monotonic() - started

    assert ready.status_code == 503
    assert seconds < 1
    assert ready.json()["checks"]["cache"]["error"].startswith("Unavailable: Timed out")
    assert ready.json()["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_probes_reuse_the_kept_connections(client):
    assert client.get("/health/ready/").status_code == 200
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection.alias)

    connection_created.connect(count)
    try:
        probes = [client.get("/health/ready/").status_code for _ in range(5)]
    finally:
        connection_created.disconnect(count)

    assert probes == [200] * 5
    # The database check's thread keeps its connection; the migrations passed the first time.
    assert opened == []


@pytest.mark.django_db(transaction=True)
def test_ready_is_503_while_a_migration_is_unapplied(client):
    # As if the code of a new release were running before its migrations.
    (latest,) = MigrationLoader(connection).graph.leaf_nodes("users")
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied(*latest)
    try:
        response = client.get("/health/ready/")
    finally:
        recorder.record_applied(*latest)

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["error"] == (
        "Unavailable: 1 unapplied migration(s)"
    )


def test_probes_from_unknown_hosts_are_answered(client):
    # Platform probes use internal addresses: ALLOWED_HOSTS must not turn them away.
    assert client.get("/health/live/", HTTP_HOST="10.1.2.3:8080").status_code == 200
    assert client.get("/", HTTP_HOST="10.1.2.3:8080").status_code == 400


def test_probes_over_plain_http_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/live/").status_code == 200
    assert client.get("/").status_code == 301


def test_other_methods_are_refused(client):
    response = client.post("/health/live/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_status_does_not_exist_without_a_token(client, settings):
    settings.HEALTH_STATUS_TOKEN = ""

    assert client.get("/health/status/").status_code == 404


def test_status_refuses_a_wrong_token(client, settings):
    settings.HEALTH_STATUS_TOKEN = "the-right-token"

    response = client.get("/health/status/", HTTP_AUTHORIZATION="Bearer a-wrong-token")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
def test_status_runs_every_check_for_the_right_token(client, settings, tmp_path):
    settings.HEALTH_STATUS_TOKEN = "the-right-token"
    settings.MEDIA_ROOT = tmp_path

    response = client.get("/health/status/", HTTP_AUTHORIZATION="Bearer the-right-token")

    assert response.status_code == 200
    checks = {**settings.HEALTH_CHECKS, **settings.HEALTH_STATUS_CHECKS}  # features add theirs
    assert set(response.json()["checks"]) == set(checks) >= {"database", "migrations", "storage"}


def test_the_cache_check_stores_returns_and_forgets(client, settings, monkeypatch):
    # A cache that never forgets (the check runs in its own thread, with its own cache object).
    monkeypatch.setattr(type(caches["default"]), "delete", lambda self, key, version=None: None)
    settings.HEALTH_CHECKS = {"cache": settings.HEALTH_CHECKS["cache"]}

    response = client.get("/health/ready/")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["error"] == (
        "Unavailable: Cache did not store, return and forget a value"
    )


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.mark.django_db
def test_a_storm_of_probes_shares_the_latest_answer_for_at_most_a_second(client, monkeypatch):
    clock, runs = Clock(), []
    monkeypatch.setattr(health.LATEST_READY, "clock", clock)
    run_checks = health.run_checks
    monkeypatch.setattr(health, "run_checks", lambda specs: runs.append(1) or run_checks(specs))
    per_second = health.READY_RUNS_PER_SECOND

    storm = [client.get("/health/ready/") for _ in range(3 * per_second)]
    clock.now += 1
    after_a_second = client.get("/health/ready/")

    assert [probe.status_code for probe in storm] == [200] * 3 * per_second
    assert storm[-1].json() == storm[per_second - 1].json()  # the latest run's answer
    assert len(runs) == per_second + 1  # the storm's first probes, and one a second later
    assert after_a_second.status_code == 200
