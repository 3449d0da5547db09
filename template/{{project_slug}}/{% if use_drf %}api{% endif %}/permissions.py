"""Who may read what, beyond DRF's own permission classes."""

from django.conf import settings
from rest_framework import authentication, permissions
from rest_framework_simplejwt.authentication import JWTAuthentication


class ApiDocsAccess(permissions.BasePermission):
    """The schema and Swagger UI: anyone with API_DOCS_PUBLIC on (local development), else staff.

    The schema maps every endpoint, field and error code: a head start for an attacker that a
    private API need not give.
    """

    def has_permission(self, request, view):
        return settings.API_DOCS_PUBLIC or bool(request.user and request.user.is_staff)


# The views' attributes: staff read the docs in a browser signed in to the admin (the session),
# or with an access token.
API_DOCS_ACCESS = {
    "authentication_classes": [authentication.SessionAuthentication, JWTAuthentication],
    "permission_classes": [ApiDocsAccess],
}
