"""Values every template can use."""

from django.conf import settings


def project(request):
    """The project's name, for titles and headers."""
    return {"project_name": settings.PROJECT_NAME}
