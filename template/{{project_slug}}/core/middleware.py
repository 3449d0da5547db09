"""Middleware of the core app."""

from django.http import JsonResponse

from . import health


class HealthCheckMiddleware:
    """Answers /health/live/, /health/ready/ and /health/status/ before any other middleware.

    Platform probes come from internal addresses with their own Host header and over plain HTTP:
    answering first means no ALLOWED_HOSTS rejection, no HTTPS redirect, no session or
    authentication work. It must stay first in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        endpoint = health.ENDPOINTS.get(request.path_info)
        if endpoint is None:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            return JsonResponse(
                {"status": "error", "detail": "Use GET or HEAD."},
                status=405,
                headers={"Allow": "GET, HEAD"},
            )
        response = endpoint(request)
        return self.get_response(request) if response is None else response
