"""What the API accepts and returns. Validation lives here; the work is done by services."""

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation, user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.tokens import RefreshToken

from . import services, tokens

User = get_user_model()
# The longest address an account can have (the email column's length).
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length
# Longer than any token this API issues, short of what would cost time to decode.
JWT_MAX_LENGTH = 2048


class PasswordField(serializers.CharField):
    """A password sent by a client: write-only, never trimmed, at most 128 characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("style", {"input_type": "password"})
        super().__init__(write_only=True, trim_whitespace=False, max_length=128, **kwargs)


class UserSerializer(serializers.ModelSerializer):
    """The signed-in user; only the names may be changed."""

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "email_verified", "date_joined"]
        read_only_fields = ["id", "email", "email_verified", "date_joined"]


class StaffUserSerializer(serializers.ModelSerializer):
    """A user as staff see them in the user list."""

    groups = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "email_verified",
            "is_active",
            "is_staff",
            "date_joined",
            "last_login",
            "groups",
        ]
        read_only_fields = fields


class MessageSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=EMAIL_MAX_LENGTH)
    password = PasswordField()
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)

    def validate_password(self, password):
        # The password must not resemble the email or names sent with it.
        sent = {name: self.initial_data.get(name) for name in ("email", "first_name", "last_name")}
        candidate = User(**{name: value for name, value in sent.items() if isinstance(value, str)})
        password_validation.validate_password(password, candidate)
        return password


class LockedOut(exceptions.Throttled):
    """429 for an account locked out after AXES_FAILURE_LIMIT failed sign-ins from one address."""

    default_detail = _("Too many failed sign-ins: this account is locked here for a while.")
    default_code = "locked_out"

    def __init__(self):
        super().__init__(wait=settings.AXES_COOLOFF_TIME.total_seconds())


class TokenObtainSerializer(jwt_serializers.TokenObtainSerializer):
    """Email and password (and a two-factor code, when needed) in; an access and a refresh
    token out.

    authenticate() gets the request, so backends that count failed sign-ins see every attempt,
    and a successful sign-in sends Django's user_logged_in signal like a session sign-in does.
    With ADMIN_REQUIRE_2FA on, the API asks for the same second factor as the admin
    (services.user_pass_second_factor).
    """

    token_class = RefreshToken
    otp = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=16,
        help_text=(
            "The current code of the user's two-factor device; required with "
            "ADMIN_REQUIRE_2FA on, from users who have one (staff must)."
        ),
    )
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)

    default_error_messages = {
        "email_not_verified": _(
            "Confirm your email address first: open the link we emailed you, or ask for a new one."
        ),
        "otp_required": _("Send the code from your authenticator app as otp."),
        "otp_invalid": _("This code is not valid: send the current one from your device."),
        "otp_device_required": _(
            "Staff sign in with two factors: add an authenticator device in the admin first."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # simplejwt's fields have no maximum length: the address could not be stored, and a
        # long password costs time to hash.
        self.fields[self.username_field] = serializers.CharField(
            write_only=True, max_length=EMAIL_MAX_LENGTH
        )
        self.fields["password"] = PasswordField()

    def validate(self, attrs):
        request = self.context.get("request")
        try:
            super().validate(attrs)
        except exceptions.AuthenticationFailed:
            # django-axes refused the attempt: too many failures for this account from here.
            if getattr(request, "axes_locked_out", False):
                raise LockedOut from None
            raise
        refused = services.user_pass_second_factor(user=self.user, code=attrs.get("otp"))
        if refused:
            raise exceptions.AuthenticationFailed(self.error_messages[refused], code=refused)
        if settings.EMAIL_VERIFICATION_REQUIRED and not self.user.email_verified:
            raise exceptions.AuthenticationFailed(
                self.error_messages["email_not_verified"], code="email_not_verified"
            )
        user_logged_in.send(sender=type(self.user), request=request, user=self.user)
        refresh = self.get_token(self.user)
        return {"refresh": str(refresh), "access": str(refresh.access_token)}


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """simplejwt's refresh, answering 401 (not 500) for a token whose user was deleted."""

    refresh = serializers.CharField(max_length=JWT_MAX_LENGTH)

    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except User.DoesNotExist:
            raise exceptions.AuthenticationFailed(
                self.error_messages["no_active_account"], code="no_active_account"
            ) from None


class TokenBlacklistSerializer(jwt_serializers.TokenBlacklistSerializer):
    refresh = serializers.CharField(max_length=JWT_MAX_LENGTH, write_only=True)


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=EMAIL_MAX_LENGTH)


class EmailVerifySerializer(serializers.Serializer):
    token = serializers.CharField(max_length=256)

    def validate_token(self, token):
        self.user = tokens.user_for_email_verification_token(token)
        return token


class PasswordChangeSerializer(serializers.Serializer):
    old_password = PasswordField()
    new_password = PasswordField()

    def validate_old_password(self, password):
        if not self.context["request"].user.check_password(password):
            raise serializers.ValidationError(
                _("Your current password is not correct."), code="wrong_password"
            )
        return password

    def validate_new_password(self, password):
        password_validation.validate_password(password, self.context["request"].user)
        return password


class PasswordResetConfirmSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=256)
    new_password = PasswordField()

    def validate_token(self, token):
        self.user = tokens.user_for_password_reset_token(token)
        return token

    def validate(self, attrs):
        try:
            password_validation.validate_password(attrs["new_password"], self.user)
        except DjangoValidationError as error:
            raise DjangoValidationError({"new_password": error.error_list}) from None
        return attrs
