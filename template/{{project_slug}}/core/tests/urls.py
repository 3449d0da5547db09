"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request):
    raise RuntimeError("a bug in a view")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("tampered input")


def accepted(request):
    return HttpResponse(status=204)


urlpatterns = [
    path("broken/", broken),
    path("api/broken/", broken),
    path("forbidden/", forbidden),
    path("api/forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("api/suspicious/", suspicious),
    path("api/accepted/", accepted),
    *urlpatterns,
]
