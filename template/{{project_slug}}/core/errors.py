"""Error responses: the project's error pages, or the shape a feature registered for its paths.

Django calls these views for what no view answered (handler400 to handler500 in config/urls.py)
and for a failed CSRF check (CSRF_FAILURE_VIEW). They answer with templates/400.html, 403.html,
404.html or 500.html, unless a feature whose clients expect another shape under its paths (JSON,
say) registered one from its app's ready():

    errors.register_shape("/things/", error_response)

where error_response(status, code, detail) returns the response. Without features, every path
gets the pages.
"""

from django.views import defaults

# {path prefix: error_response(status, code, detail)}, filled by the apps' ready().
SHAPES = {}


def register_shape(prefix, error_response):
    """Answer the errors of paths starting with `prefix` with `error_response`."""
    SHAPES[prefix] = error_response


def shape_for(request):
    """The error shape registered for the request's path, or None (the error pages)."""
    for prefix, error_response in SHAPES.items():
        if request.path.startswith(prefix):
            return error_response
    return None


def bad_request(request, exception):
    if shape := shape_for(request):
        return shape(400, "bad_request", "Bad request.")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if shape := shape_for(request):
        return shape(403, "permission_denied", "You do not have permission to do this.")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if shape := shape_for(request):
        return shape(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The 500 response: touches no database and uses no context processors."""
    if shape := shape_for(request):
        return shape(500, "error", "A server error occurred.")
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """A failed CSRF check gets the 403 page (or the registered shape's 403)."""
    if shape := shape_for(request):
        return shape(403, "csrf_failed", "CSRF verification failed.")
    return defaults.permission_denied(request, exception=None)
