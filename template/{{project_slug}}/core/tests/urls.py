"""The project's URLs and error handlers, plus views that fail on purpose, for the error tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.urls import path

from config import urls


def broken(request):
    raise RuntimeError("a bug in a view")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("tampered input")


def accepted(request):
    return HttpResponse(status=204)


def failing_urls(prefix=""):
    """The views above, under `prefix`."""
    return [
        path(f"{prefix}broken/", broken),
        path(f"{prefix}forbidden/", forbidden),
        path(f"{prefix}suspicious/", suspicious),
        path(f"{prefix}accepted/", accepted),
    ]


urlpatterns = [*failing_urls(), *failing_urls("shaped/"), *urls.urlpatterns]
handler400 = urls.handler400
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
