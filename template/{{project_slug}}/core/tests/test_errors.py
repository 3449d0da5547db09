"""Error pages with DEBUG off: custom HTML for people, or the shape a feature registered."""

import pytest
from django.http import HttpResponse
from django.template.loader import get_template
from django.test import Client

from .. import errors

pytestmark = pytest.mark.urls(f"{__package__}.urls")


@pytest.fixture
def client():
    # A view that raises must produce the 500 page, not an exception in the test.
    return Client(raise_request_exception=False)


def text_error(status, code, detail):
    return HttpResponse(f"{code}: {detail}", status=status, content_type="text/plain")


@pytest.fixture
def shaped(monkeypatch):
    """Errors under /shaped/ in a shape of their own, registered as a feature's ready() would."""
    monkeypatch.setattr(errors, "SHAPES", {})
    errors.register_shape("/shaped/", text_error)


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
    ("path", "status", "code"),
    [
        ("/shaped/no-such-page/", 404, "not_found"),
        ("/shaped/broken/", 500, "error"),
        ("/shaped/forbidden/", 403, "permission_denied"),
        ("/shaped/suspicious/", 400, "bad_request"),
    ],
)
def test_a_registered_shape_answers_the_errors_of_its_paths(client, shaped, path, status, code):
    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Type"] == "text/plain"
    assert response.content.decode().startswith(f"{code}: ")


def test_a_csrf_failure_gets_the_registered_shape(shaped):
    response = Client(enforce_csrf_checks=True).post("/shaped/accepted/", {})

    assert response.status_code == 403
    assert response.content == b"csrf_failed: CSRF verification failed."


def test_other_paths_keep_the_pages_while_a_shape_is_registered(client, shaped):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"<h1>Page not found</h1>" in response.content


def test_without_a_registered_shape_every_path_gets_the_pages(client, monkeypatch):
    monkeypatch.setattr(errors, "SHAPES", {})

    response = client.get("/shaped/broken/")

    assert response.status_code == 500
    assert b"<h1>Something went wrong</h1>" in response.content


def test_the_500_page_needs_no_database_and_no_context():
    # pytest-django blocks database access in this test: rendering must not need it.
    html = get_template("500.html").render()

    assert "Something went wrong" in html
