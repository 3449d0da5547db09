"""The settings read the environment as .env.example documents, and production fails fast."""

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection


def test_local_settings_need_no_services(load_settings):
    local = load_settings("local")

    assert local.DEBUG is True
    assert local.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert local.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert local.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    assert local.SECRET_KEY.startswith("django-insecure")


def test_a_copy_of_env_example_still_needs_no_services(load_settings, settings):
    """The README suggests copying .env.example to .env: local settings must still start alone."""
    lines = (settings.BASE_DIR / ".env.example").read_text().splitlines()
    example = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))

    local = load_settings("local", **example)

    assert local.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert local.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_an_empty_database_url_means_sqlite_locally(load_settings):
    local = load_settings("local", DATABASE_URL="")

    assert local.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_database_url_configures_postgresql_with_pooling_and_a_statement_timeout(load_settings):
    local = load_settings(
        "local",
        DATABASE_URL="postgres://app:secret@db.internal:5432/app",
        DATABASE_CONN_MAX_AGE="120",
        DATABASE_STATEMENT_TIMEOUT="5000",
    )

    database = local.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == ("db.internal", "app", "app")
    assert database["CONN_MAX_AGE"] == 120
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["options"] == "-c statement_timeout=5000"


def test_connecting_to_postgresql_gives_up_after_the_connect_timeout(load_settings):
    url = "postgres://app:secret@db.internal:5432/app"
    default = load_settings("local", DATABASE_URL=url)
    tuned = load_settings("local", DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT="2")

    assert default.DATABASES["default"]["OPTIONS"]["connect_timeout"] == 5
    assert tuned.DATABASES["default"]["OPTIONS"]["connect_timeout"] == 2


@pytest.mark.django_db
def test_the_statement_timeout_reaches_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (timeout,) = cursor.fetchone()

    assert timeout == "30s"


def test_redis_url_selects_the_redis_cache(load_settings):
    local = load_settings("local", REDIS_URL="redis://cache.internal:6379/1")

    assert local.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert local.CACHES["default"]["LOCATION"] == "redis://cache.internal:6379/1"


def test_cache_calls_give_up_on_redis_well_within_a_second(load_settings):
    default = load_settings("local", REDIS_URL="redis://cache.internal:6379/1")
    tuned = load_settings("local", REDIS_URL="redis://cache.internal:6379/1", REDIS_TIMEOUT="0.1")

    assert default.CACHES["default"]["OPTIONS"] == {
        "socket_connect_timeout": 0.25,
        "socket_timeout": 0.25,
    }
    assert tuned.CACHES["default"]["OPTIONS"]["socket_timeout"] == 0.1


def test_the_redis_cache_stores_and_forgets_values(settings):
    # The running settings' REDIS_URL (CI sets it), or a Redis server on this machine.
    cache = RedisCache(settings.REDIS_URL or "redis://127.0.0.1:6379/0", {"KEY_PREFIX": "tests"})

    cache.set("answer", 42, timeout=30)
    assert cache.get("answer") == 42
    cache.delete("answer")
    assert cache.get("answer") is None


def test_email_url_configures_smtp(load_settings):
    local = load_settings("local", EMAIL_URL="smtp+tls://mailer:pw@smtp.example.com:587")

    assert local.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (local.EMAIL_HOST, local.EMAIL_PORT, local.EMAIL_USE_TLS) == (
        "smtp.example.com",
        587,
        True,
    )


def test_email_url_sets_each_email_setting_by_name(load_settings):
    ssl = load_settings("local", EMAIL_URL="smtp+ssl://mail%40example.com:p%40ss@smtp.example.com")
    empty = load_settings("local", EMAIL_URL="")  # the same as unset

    assert (ssl.EMAIL_HOST_USER, ssl.EMAIL_HOST_PASSWORD) == ("mail@example.com", "p@ss")
    # No port in the URL: smtplib's own for implicit TLS (465).
    assert (ssl.EMAIL_USE_SSL, ssl.EMAIL_USE_TLS, ssl.EMAIL_PORT) == (True, False, None)
    assert empty.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    assert (empty.EMAIL_HOST, empty.EMAIL_HOST_USER) == ("localhost", "")


def test_account_settings_follow_the_environment(load_settings):
    default = load_settings("local")
    tuned = load_settings(
        "local",
        SITE_URL="https://www.example.com",
        FRONTEND_URL="https://app.example.com",
        EMAIL_VERIFICATION_REQUIRED="false",
        EMAIL_VERIFICATION_TIMEOUT="3600",
    )

    assert default.EMAIL_VERIFICATION_REQUIRED is True
    # Emailed links open runserver's account pages, with no front end of its own.
    assert (default.SITE_URL, default.FRONTEND_URL) == ("http://localhost:8000", "")
    assert tuned.SITE_URL == "https://www.example.com"
    assert tuned.FRONTEND_URL == "https://app.example.com"
    assert tuned.EMAIL_VERIFICATION_REQUIRED is False
    assert tuned.EMAIL_VERIFICATION_TIMEOUT == 3600


def test_production_names_every_missing_variable_at_once(load_settings):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        load_settings("production")

    message = str(excinfo.value)
    for variable in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "ADMIN_URL"):
        assert variable in message


@pytest.mark.parametrize("variable", ["DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "ADMIN_URL"])
def test_production_refuses_to_start_without_each_required_variable(
    load_settings, production_environment, variable
):
    del production_environment[variable]

    with pytest.raises(ImproperlyConfigured, match=variable):
        load_settings("production", **production_environment)


@pytest.mark.parametrize(
    "weak_key",
    [
        "django-insecure-local-development-key-never-use-in-production",
        "too-short",
        "a" * 60,
    ],
)
def test_production_refuses_a_weak_secret_key(load_settings, production_environment, weak_key):
    production_environment["SECRET_KEY"] = weak_key

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not a production key"):
        load_settings("production", **production_environment)


@pytest.mark.parametrize("admin_url", ["admin/", "/admin/", "staff", "/staff/"])
def test_production_refuses_a_guessable_or_malformed_admin_url(
    load_settings, production_environment, admin_url
):
    production_environment["ADMIN_URL"] = admin_url

    with pytest.raises(ImproperlyConfigured, match="ADMIN_URL"):
        load_settings("production", **production_environment)


def test_production_is_https_only(load_settings, production_environment):
    production = load_settings("production", **production_environment)

    assert production.DEBUG is False
    assert production.ALLOWED_HOSTS == ["example.com", "www.example.com"]
    assert production.ADMIN_URL == "staff-area/"
    assert production.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.SECURE_HSTS_SECONDS == 31_536_000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert production.STORAGES["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_production_https_rules_follow_the_environment(load_settings, production_environment):
    production = load_settings(
        "production",
        **production_environment,
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_PRELOAD="true",
        CSRF_TRUSTED_ORIGINS="https://app.example.com",
    )

    assert production.SECURE_HSTS_SECONDS == 3600
    assert production.SECURE_HSTS_PRELOAD is True
    assert production.CSRF_TRUSTED_ORIGINS == ["https://app.example.com"]


def test_wsgi_and_asgi_entry_points_load():
    from config import asgi, wsgi

    assert callable(wsgi.application)
    assert callable(asgi.application)


def test_the_client_ip_header_is_the_only_one_trusted(load_settings):
    default = load_settings("local")
    digitalocean = load_settings("local", CLIENT_IP_HEADER="DO-Connecting-IP")
    proxied = load_settings("local", CLIENT_IP_HEADER="X-Forwarded-For", CLIENT_IP_PROXY_COUNT="2")

    assert default.IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)
    assert digitalocean.IPWARE_META_PRECEDENCE_ORDER == ("HTTP_DO_CONNECTING_IP",)
    assert proxied.IPWARE_META_PRECEDENCE_ORDER == ("HTTP_X_FORWARDED_FOR",)
    assert proxied.IPWARE_META_PROXY_COUNT == 2


def test_lockout_and_two_factor_follow_the_environment(load_settings):
    local = load_settings(
        "local", AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="60", ADMIN_REQUIRE_2FA="true"
    )

    assert local.AXES_FAILURE_LIMIT == 3
    assert local.AXES_COOLOFF_TIME.total_seconds() == 3600
    assert local.ADMIN_REQUIRE_2FA is True


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("DATABASE_URL", "not-a-url", "DATABASE_URL is not a database URL"),
        ("DATABASE_URL", "postgres://app:secret@db:5432", "DATABASE_URL names no database"),
        ("DATABASE_URL", "sqlite:////srv/db.sqlite3", "DATABASE_URL must point at PostgreSQL"),
        ("REDIS_URL", "redis//cache.internal:6379/0", "REDIS_URL is not a Redis URL"),
        ("REDIS_URL", "redis://cache.internal:port/0", "REDIS_URL is not a Redis URL"),
        ("ALLOWED_HOSTS", ",", "ALLOWED_HOSTS names no host"),
        ("ADMIN_REQUIRE_2FA", "ture", "ADMIN_REQUIRE_2FA='ture' is not a boolean"),
        ("SECURE_SSL_REDIRECT", "enabled", "SECURE_SSL_REDIRECT='enabled' is not a boolean"),
        ("EMAIL_URL", "consolemail://", "EMAIL_URL is unset or does not send email"),
        ("EMAIL_URL", "memorymail://", "EMAIL_URL is unset or does not send email"),
        ("EMAIL_URL", "", "EMAIL_URL is unset or does not send email"),
    ],
)
def test_production_refuses_a_value_that_cannot_work_in_one_line(
    load_settings, production_environment, variable, value, problem
):
    production_environment[variable] = value

    with pytest.raises(ImproperlyConfigured) as excinfo:
        load_settings("production", **production_environment)

    assert str(excinfo.value).startswith(problem)
    assert "\n" not in str(excinfo.value)
    assert "secret" not in str(excinfo.value)


@pytest.mark.parametrize(
    ("spelling", "value"),
    [
        *[("true", True), ("TRUE", True), ("1", True), ("yes", True), ("on", True)],
        *[("false", False), ("0", False), ("no", False), ("Off", False), ("", False)],
    ],
)
def test_booleans_accept_the_documented_spellings(load_settings, spelling, value):
    assert load_settings("local", ADMIN_REQUIRE_2FA=spelling).ADMIN_REQUIRE_2FA is value


def test_production_email_is_sent_or_deliberately_not_logged(load_settings, production_environment):
    smtp = load_settings("production", **production_environment)
    del production_environment["EMAIL_URL"]
    allowed_unset = load_settings(
        "production", **production_environment, EMAIL_ALLOW_CONSOLE="true"
    )
    allowed_console = load_settings(
        "production",
        **production_environment,
        EMAIL_URL="consolemail://",
        EMAIL_ALLOW_CONSOLE="true",
    )

    assert smtp.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    # Never the console: it would print reset and verification links to the logs.
    assert allowed_unset.EMAIL_BACKEND == allowed_unset.UNSENT_EMAIL_BACKEND
    assert allowed_console.EMAIL_BACKEND == allowed_console.UNSENT_EMAIL_BACKEND
