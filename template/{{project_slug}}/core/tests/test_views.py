import pytest
from django.test import RequestFactory

from ..context_processors import project


def test_home_page_shows_the_project_name(client, settings):
    response = client.get("/")

    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["pages/home.html", "base.html"]
    assert f"<h1>{settings.PROJECT_NAME}</h1>".encode() in response.content
    assert b'href="/static/css/site.css"' in response.content


def test_project_context_processor_exposes_the_name(settings):
    settings.PROJECT_NAME = "Renamed Project"

    assert project(RequestFactory().get("/")) == {"project_name": "Renamed Project"}


@pytest.mark.django_db
def test_unknown_page_is_a_404(client):
    assert client.get("/no-such-page/").status_code == 404
