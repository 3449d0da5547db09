"""Error pages with DEBUG off: custom HTML for people, the API's JSON shape under /api/."""

import pytest
from django.template.loader import get_template
from django.test import Client

pytestmark = pytest.mark.urls(f"{__package__}.urls")


@pytest.fixture
def client():
    # A view that raises must produce the 500 page, not an exception in the test.
    return Client(raise_request_exception=False)


def api_error(response):
    (error,) = response.json()["errors"]
    return response.json()["type"], error["code"]


def test_unknown_page_gets_the_custom_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert b"<h1>Page not found</h1>" in response.content
    assert b'href="/static/css/site.css"' in response.content


def test_a_view_that_raises_gets_the_custom_500(client):
    response = client.get("/broken/")

    assert response.status_code == 500
    assert b"<h1>Something went wrong</h1>" in response.content
    assert b"a bug in a view" not in response.content


def test_permission_denied_gets_the_custom_403(client):
    response = client.get("/forbidden/")

    assert response.status_code == 403
    assert b"<h1>Access denied</h1>" in response.content


def test_suspicious_input_gets_the_custom_400(client):
    response = client.get("/suspicious/")

    assert response.status_code == 400
    assert b"<h1>Bad request</h1>" in response.content


@pytest.mark.django_db
def test_a_csrf_failure_gets_the_custom_403():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/admin/login/", {"username": "a@example.com", "password": "x"})

    assert response.status_code == 403
    assert b"<h1>Access denied</h1>" in response.content


@pytest.mark.parametrize(
    ("path", "status", "expected"),
    [
        ("/api/no-such-endpoint/", 404, ("client_error", "not_found")),
        ("/api/broken/", 500, ("server_error", "error")),
        ("/api/forbidden/", 403, ("client_error", "permission_denied")),
        ("/api/suspicious/", 400, ("client_error", "bad_request")),
    ],
)
def test_api_paths_get_json_errors(client, path, status, expected):
    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert api_error(response) == expected


def test_api_csrf_failure_is_json():
    response = Client(enforce_csrf_checks=True).post("/api/accepted/", {})

    assert response.status_code == 403
    assert api_error(response) == ("client_error", "csrf_failed")


def test_the_500_page_needs_no_database_and_no_context():
    # pytest-django blocks database access in this test: rendering must not need it.
    html = get_template("500.html").render()

    assert "Something went wrong" in html
