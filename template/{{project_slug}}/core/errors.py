"""Error responses: the project's error pages for people, JSON for API clients.

Paths under /api/ get JSON in the API's error shape (the one drf-standardized-errors uses):
    {"type": "client_error",
     "errors": [{"code": "not_found", "detail": "Not found.", "attr": null}]}
Everything else gets templates/400.html, 403.html, 404.html or 500.html.
"""

from django.http import JsonResponse
from django.views import defaults

API_PATH_PREFIX = "/api/"


def is_api_request(request):
    return request.path.startswith(API_PATH_PREFIX)


def json_error(status, code, detail):
    """A JSON error response in the API's error shape."""
    error_type = "server_error" if status >= 500 else "client_error"
    body = {"type": error_type, "errors": [{"code": code, "detail": detail, "attr": None}]}
    return JsonResponse(body, status=status)


def bad_request(request, exception):
    if is_api_request(request):
        return json_error(400, "bad_request", "Bad request.")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_request(request):
        return json_error(403, "permission_denied", "You do not have permission to do this.")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api_request(request):
        return json_error(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The 500 response: touches no database and uses no context processors."""
    if is_api_request(request):
        return json_error(500, "error", "A server error occurred.")
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """A failed CSRF check gets the 403 page (or the API's JSON 403)."""
    if is_api_request(request):
        return json_error(403, "csrf_failed", "CSRF verification failed.")
    return defaults.permission_denied(request, exception=None)
