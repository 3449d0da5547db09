"""The OpenAPI schema and Swagger UI are served, to staff unless API_DOCS_PUBLIC is on, and
describe JWT sign-in."""

import pytest
from django.urls import reverse
from rest_framework_simplejwt.tokens import RefreshToken

from ...users.tests.factories import UserFactory
from .helpers import errors

pytestmark = pytest.mark.django_db

DOCS = ["api:schema", "api:docs"]


@pytest.fixture
def public_docs(settings):
    settings.API_DOCS_PUBLIC = True


@pytest.mark.parametrize("name", DOCS)
def test_by_default_the_docs_are_not_public(api, name):
    assert api.get(reverse(name)).status_code == 403


def test_the_refusal_has_the_error_shape(api):
    response = api.get(reverse("api:schema"), HTTP_ACCEPT="application/json")

    assert errors(response) == ("client_error", {(None, "not_authenticated")})


@pytest.mark.parametrize("name", DOCS)
def test_by_default_users_who_are_not_staff_may_not_read_the_docs(signed_in, name):
    assert signed_in.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", DOCS)
def test_staff_read_the_docs_signed_in_to_the_admin(client, name):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse(name)).status_code == 200


def test_staff_read_the_schema_with_an_access_token(api):
    access = RefreshToken.for_user(UserFactory(is_staff=True)).access_token

    response = api.get(reverse("api:schema"), HTTP_AUTHORIZATION=f"Bearer {access}")

    assert response.status_code == 200


@pytest.mark.parametrize("name", DOCS)
def test_with_api_docs_public_anyone_reads_the_docs(api, public_docs, name):
    assert api.get(reverse(name)).status_code == 200


def test_the_schema_describes_every_endpoint_and_jwt(api, public_docs):
    response = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["jwtAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert {"/api/v1/auth/token/", "/api/v1/auth/register/", "/api/v1/users/me/"} <= set(
        schema["paths"]
    )
    me = schema["paths"]["/api/v1/users/me/"]["get"]
    assert {"jwtAuth": []} in me["security"]
    assert {"401", "429", "500"} <= set(me["responses"])


def test_swagger_ui_is_served_without_a_cdn(client, public_docs):
    response = client.get(reverse("api:docs"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn.jsdelivr.net" not in html


def test_swagger_ui_runs_under_the_content_security_policy(client, public_docs):
    """No inline script or style (the CSP blocks them); its icons are data: images."""
    page = client.get(reverse("api:docs"))
    script = client.get(reverse("api:docs"), {"script": ""})

    html = page.content.decode()
    assert "<style" not in html
    assert html.count("<script src=") == html.count("<script") == 3
    assert "img-src 'self' data:" in page["Content-Security-Policy"]
    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle" in script.content.decode()
