"""The API's errors, in drf-standardized-errors' shape, simplejwt's included.

    {"type": "client_error", "errors": [{"code": "token_not_valid", "detail": "...", "attr": null}]}

What never reaches a DRF view under /api/ (a failed CSRF check, an error in a middleware, a bug
outside DRF) gets the same shape from json_error, which apps.py registers with core/errors.py.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.handler import ExceptionHandler as StandardizedExceptionHandler
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import exceptions, serializers
from rest_framework_simplejwt.exceptions import AuthenticationFailed as JWTAuthenticationFailed

# The codes of the validators in AUTH_PASSWORD_VALIDATORS, for the schema's error codes.
PASSWORD_ERROR_CODES = [
    "password_too_similar",
    "password_too_short",
    "password_too_common",
    "password_entirely_numeric",
]


def json_error(status, code, detail):
    """A JSON error response in the API's shape, for errors that no DRF view answers."""
    error_type = "server_error" if status >= 500 else "client_error"
    body = {"type": error_type, "errors": [{"code": code, "detail": detail, "attr": None}]}
    return JsonResponse(body, status=status)


class RequestTooLarge(exceptions.APIException):
    """413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, which Django refuses to read."""

    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


class ExceptionHandler(StandardizedExceptionHandler):
    """drf-standardized-errors' handler, which also flattens simplejwt's errors and answers a
    body that is too large with 413 (not a 500).

    simplejwt puts a dict ({"detail", "code", "messages"}) where DRF puts a message; the error
    keeps its message, code, status and WWW-Authenticate header.
    """

    def convert_known_exceptions(self, exc):
        if isinstance(exc, RequestDataTooBig):
            return RequestTooLarge()
        if isinstance(exc, JWTAuthenticationFailed) and isinstance(exc.detail, dict):
            detail, code = (str(exc.detail[key]) for key in ("detail", "code"))
            converted = exceptions.AuthenticationFailed(detail, code=code)
            converted.status_code = exc.status_code
            converted.auth_header = getattr(exc, "auth_header", None)
            return converted
        return super().convert_known_exceptions(exc)


# Why a request was not authenticated: DRF's reasons and simplejwt's.
ERROR_CODES_401 = [
    "authentication_failed",
    "not_authenticated",
    "token_not_valid",
    "bad_authorization_header",
    "user_not_found",
    "user_inactive",
    "password_changed",
    "no_active_account",
    "email_not_verified",
    "otp_required",
    "otp_invalid",
    "otp_device_required",
]


# Why a request must wait: DRF's throttles, and django-axes' lockout of an account at sign-in.
ERROR_CODES_429 = ["throttled", "locked_out"]


class ClientErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class Error401Serializer(ClientErrorSerializer):
    code = serializers.ChoiceField(choices=ERROR_CODES_401)


class ErrorResponse401Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error401Serializer(many=True)


class Error429Serializer(ClientErrorSerializer):
    code = serializers.ChoiceField(choices=ERROR_CODES_429)


class ErrorResponse429Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error429Serializer(many=True)
