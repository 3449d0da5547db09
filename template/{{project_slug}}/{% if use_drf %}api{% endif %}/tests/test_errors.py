"""Every error under /api/ has one JSON shape, whether a view, DRF or Django answers it."""

import pytest
from django.urls import path, reverse
from rest_framework.test import APIClient
from rest_framework.views import APIView

from config.urls import urlpatterns as project_urlpatterns

from .helpers import errors


class BrokenView(APIView):
    permission_classes = []

    def get(self, request):
        raise RuntimeError("a bug in an API view")


urlpatterns = [path("api/v1/broken/", BrokenView.as_view()), *project_urlpatterns]


@pytest.mark.urls(__name__)
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
