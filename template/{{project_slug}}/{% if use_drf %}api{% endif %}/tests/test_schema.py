"""The OpenAPI schema and Swagger UI are served, and describe JWT sign-in."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_describes_every_endpoint_and_jwt(api):
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


def test_swagger_ui_is_served_without_a_cdn(client):
    response = client.get(reverse("api:docs"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn.jsdelivr.net" not in html
