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


def test_swagger_ui_runs_under_the_content_security_policy(client):
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
