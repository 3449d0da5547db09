"""Every error under /api/ has one JSON shape, whether a view, DRF or Django answers it."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from .helpers import errors

FAILING_VIEWS = pytest.mark.urls(f"{__package__}.urls")


@FAILING_VIEWS
def test_a_bug_in_a_view_is_a_json_500_without_details():
    response = APIClient(raise_request_exception=False).get("/api/v1/broken/")

    assert response.status_code == 500
    assert errors(response) == ("server_error", {(None, "error")})
    assert "a bug in an API view" not in response.content.decode()


@pytest.mark.parametrize("path", ["/api/", "/api/v1/", "/api/v1/no-such-endpoint/", "/api/v2/"])
def test_unknown_api_paths_are_json_404s(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert errors(response) == ("client_error", {(None, "not_found")})


def test_unknown_api_paths_are_json_404s_with_debug_on_too(api, settings):
    settings.DEBUG = True  # runserver: Django's own 404 would be its HTML debug page

    response = api.get("/api/v1/no-such-endpoint/")

    assert response.status_code == 404
    assert errors(response) == ("client_error", {(None, "not_found")})


def test_posting_to_an_unknown_api_path_is_a_404_not_a_csrf_failure():
    response = APIClient(enforce_csrf_checks=True).post("/api/v1/no-such-endpoint/", {})

    assert response.status_code == 404
    assert errors(response) == ("client_error", {(None, "not_found")})


def test_a_wrong_method_is_a_json_405(api):
    response = api.get(reverse("api:token"))

    assert response.status_code == 405
    assert errors(response) == ("client_error", {(None, "method_not_allowed")})


def test_an_unacceptable_format_is_a_json_406(api):
    response = api.post(reverse("api:token"), {}, HTTP_ACCEPT="text/html")

    assert response.status_code == 406
    assert errors(response) == ("client_error", {(None, "not_acceptable")})


@FAILING_VIEWS
@pytest.mark.parametrize(
    ("path", "status", "expected"),
    [
        ("/api/broken/", 500, ("server_error", {(None, "error")})),
        ("/api/forbidden/", 403, ("client_error", {(None, "permission_denied")})),
        ("/api/suspicious/", 400, ("client_error", {(None, "bad_request")})),
    ],
)
def test_errors_outside_drf_under_api_are_json_too(path, status, expected):
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert errors(response) == expected


@FAILING_VIEWS
def test_a_csrf_failure_under_api_is_json():
    response = Client(enforce_csrf_checks=True).post("/api/accepted/", {})

    assert response.status_code == 403
    assert errors(response) == ("client_error", {(None, "csrf_failed")})


@FAILING_VIEWS
def test_errors_elsewhere_keep_the_html_pages():
    response = Client(raise_request_exception=False).get("/no-such-page/")

    assert response.status_code == 404
    assert b"<h1>Page not found</h1>" in response.content
