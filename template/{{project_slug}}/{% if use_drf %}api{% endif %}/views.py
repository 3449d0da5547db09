"""The API's views, kept thin: a serializer checks the input, a service or selector does the work.

Whatever signs in, creates an account or sends an email has throttle_scope = "auth", the
stricter rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].
"""

from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views

from . import selectors, serializers, services
from .errors import PASSWORD_ERROR_CODES, ErrorResponse401Serializer, json_error
from .filters import UserFilter


def accepted(text):
    """202 Accepted: the rest (an email) happens out of band."""
    return Response({"detail": text}, status=status.HTTP_202_ACCEPTED)


class InputView(generics.GenericAPIView):
    """A view that acts on a request body checked by its serializer."""

    def checked_input(self):
        """The serializer, holding the request body once it is valid (else: 400)."""
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer


class AnonymousView(InputView):
    """An endpoint for people who are not signed in (yet)."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "auth"


# --- Sign-in: JWT access and refresh tokens ---------------------------------------------------


@extend_schema(responses={200: serializers.TokenObtainSerializer, 401: ErrorResponse401Serializer})
class TokenObtainView(jwt_views.TokenObtainPairView):
    """Sign in with email and password: returns an access token and a refresh token.

    With ADMIN_REQUIRE_2FA on, users with a two-factor device also send its current code as
    `otp`, and staff without one are refused.
    """

    serializer_class = serializers.TokenObtainSerializer
    throttle_scope = "auth"


@extend_schema(responses={200: serializers.TokenRefreshSerializer, 401: ErrorResponse401Serializer})
class TokenRefreshView(jwt_views.TokenRefreshView):
    """Trade a refresh token for a new access token and a new refresh token.

    The refresh token sent is blacklisted: each one works once.
    """

    serializer_class = serializers.TokenRefreshSerializer


@extend_schema(responses={200: None, 401: ErrorResponse401Serializer})
class TokenBlacklistView(jwt_views.TokenBlacklistView):
    """Sign out: blacklist a refresh token."""

    serializer_class = serializers.TokenBlacklistSerializer


# --- Accounts ---------------------------------------------------------------------------------


@extend_validation_errors(PASSWORD_ERROR_CODES, field_name="password")
@extend_schema(responses={202: serializers.MessageSerializer})
class RegisterView(AnonymousView):
    """Create an account; a link to verify the address is emailed to it.

    The answer is the same whether or not the address already has an account (its owner gets
    an email saying so), so this endpoint does not reveal who has an account.
    """

    serializer_class = serializers.RegisterSerializer

    def post(self, request):
        services.user_register(**self.checked_input().validated_data)
        return accepted(_("Check your inbox to confirm your email address."))


@extend_validation_errors(["expired"], field_name="token")
@extend_schema(responses={200: serializers.MessageSerializer})
class EmailVerifyView(AnonymousView):
    """Confirm an email address with the token from the emailed link."""

    serializer_class = serializers.EmailVerifySerializer

    def post(self, request):
        services.user_verify_email(user=self.checked_input().user)
        return Response({"detail": _("Your email address is confirmed.")})


@extend_schema(responses={202: serializers.MessageSerializer})
class EmailResendView(AnonymousView):
    """Email a new verification link, if the address has an unverified account."""

    serializer_class = serializers.EmailSerializer

    def post(self, request):
        services.user_request_verification(**self.checked_input().validated_data)
        return accepted(_("If the address needs confirming, a new link is on its way."))


@extend_schema(responses={202: serializers.MessageSerializer})
class PasswordResetView(AnonymousView):
    """Email a link to choose a new password; the answer never reveals whether it was sent."""

    serializer_class = serializers.EmailSerializer

    def post(self, request):
        services.user_request_password_reset(**self.checked_input().validated_data)
        return accepted(_("If the address has an account, a reset link is on its way."))


@extend_validation_errors(PASSWORD_ERROR_CODES, field_name="new_password")
@extend_schema(responses={204: None})
class PasswordResetConfirmView(AnonymousView):
    """Choose a new password with the token from the emailed link; signs out everywhere."""

    serializer_class = serializers.PasswordResetConfirmSerializer

    def post(self, request):
        serializer = self.checked_input()
        services.user_reset_password(
            user=serializer.user, password=serializer.validated_data["new_password"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_validation_errors(["wrong_password"], field_name="old_password")
@extend_validation_errors(PASSWORD_ERROR_CODES, field_name="new_password")
@extend_schema(responses={204: None})
class PasswordChangeView(InputView):
    """Change the signed-in user's password; every token they hold is revoked."""

    serializer_class = serializers.PasswordChangeSerializer
    throttle_scope = "auth"

    def post(self, request):
        password = self.checked_input().validated_data["new_password"]
        services.user_change_password(user=request.user, password=password)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Users ------------------------------------------------------------------------------------


class MeView(generics.GenericAPIView):
    """The signed-in user: read it, or change the names."""

    serializer_class = serializers.UserSerializer

    def get(self, request):
        return Response(self.get_serializer(request.user).data)

    def patch(self, request):
        serializer = self.get_serializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, data=serializer.validated_data)
        return Response(self.get_serializer(user).data)


class UserListView(generics.ListAPIView):
    """Every user, for staff: paginated, filtered by the query string, ordered by ?ordering=."""

    serializer_class = serializers.StaffUserSerializer
    permission_classes = [permissions.IsAdminUser]
    filterset_class = UserFilter
    ordering_fields = ["email", "date_joined", "last_login"]

    def get_queryset(self):
        return selectors.user_list()


# --- Anything else under /api/ ----------------------------------------------------------------


@csrf_exempt  # a 404 whatever the method: no CSRF check stands in front of it
def not_found(request):
    """The JSON 404 of an unknown path under /api/ (with DEBUG on, Django's own is an HTML page)."""
    return json_error(404, "not_found", "Not found.")
