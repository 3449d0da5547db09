"""Security headers on real responses, and HTTPS handling with the production rules."""

import pytest
from django.urls import reverse

from .conftest import PRODUCTION_ENVIRONMENT

HTTPS_SETTINGS = (
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
)


@pytest.fixture
def production_https(load_settings, settings):
    """Apply production's HTTPS rules to the running test settings."""
    production = load_settings("production", **PRODUCTION_ENVIRONMENT)
    for name in HTTPS_SETTINGS:
        setattr(settings, name, getattr(production, name))


SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# django-csp writes the directives in no fixed order.
CSP_DIRECTIVES = {
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


def security_headers(response):
    return {name: response.get(name) for name in SECURITY_HEADERS}


def csp_directives(response):
    return set(response["Content-Security-Policy"].split("; "))


def test_every_response_carries_the_security_headers(client):
    response = client.get("/")

    assert response.status_code == 200
    assert security_headers(response) == SECURITY_HEADERS
    assert csp_directives(response) == CSP_DIRECTIVES
    assert "camera=(), " in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/", "/no-such-page/"])
def test_the_400_for_a_host_not_allowed_carries_the_security_headers(client, path):
    """The host check fails in CommonMiddleware: the middleware that adds headers wraps it."""
    response = client.get(path, HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert security_headers(response) == SECURITY_HEADERS
    assert csp_directives(response) == CSP_DIRECTIVES
    assert response["Permissions-Policy"] == client.get("/")["Permissions-Policy"]


@pytest.mark.usefixtures("production_https")
def test_over_https_the_400_for_a_host_not_allowed_carries_the_security_headers(client):
    response = client.get("/", HTTP_HOST="attacker.example", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 400
    assert security_headers(response) == SECURITY_HEADERS
    assert csp_directives(response) == CSP_DIRECTIVES
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.usefixtures("production_https")
def test_over_plain_http_the_400_for_a_host_not_allowed_still_forbids_scripts_and_framing(client):
    """SecurityMiddleware checks the host to redirect to HTTPS before it adds its own headers
    (nosniff, Referrer-Policy, Cross-Origin-Opener-Policy); those wrapping it still apply."""
    response = client.get("/", HTTP_HOST="attacker.example", HTTP_X_FORWARDED_PROTO="http")

    assert response.status_code == 400
    assert csp_directives(response) == CSP_DIRECTIVES
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.usefixtures("production_https")
def test_plain_http_behind_the_proxy_is_redirected_to_https(client):
    response = client.get("/some/page/?q=1", HTTP_X_FORWARDED_PROTO="http")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/some/page/?q=1"


@pytest.mark.usefixtures("production_https")
def test_https_responses_carry_hsts(client):
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.usefixtures("production_https")
def test_the_csrf_cookie_is_sent_over_https_only(client):
    response = client.get(reverse("admin:login"), HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response.cookies["csrftoken"]["secure"] is True
