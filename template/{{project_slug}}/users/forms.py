"""Forms: the admin's, for the email-based user model, and the account pages' (views.py).

The account forms check what was sent and ask the users app's services and selectors the rest:
authenticate() gets the request, so django-axes counts every failed sign-in, and the rules after
a right password (a second factor, a verified address) are services.user_check_sign_in's.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services, tokens
from .models import User

# The longest address the database stores, and the longest password worth hashing.
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length
PASSWORD_MAX_LENGTH = 128
INVALID_LINK = _("This link is not valid.")


class UserAdminCreationForm(auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)
        field_classes = {}


class UserAdminChangeForm(auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {}


def email_field():
    return forms.EmailField(
        label=_("Email address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


def password_field(label, autocomplete):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class EmailForm(forms.Form):
    """One address: for a password reset link, or a new verification link."""

    email = email_field()


class SignInForm(forms.Form):
    """Email and password, and with ADMIN_REQUIRE_2FA on, the code of an authenticator app."""

    email = email_field()
    password = password_field(_("Password"), "current-password")
    otp = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=16,
        help_text=_("Only if your account uses an authenticator app."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {
        "invalid_login": _("Enter a correct email address and password."),
        "email_not_verified": _(
            "Confirm your email address first: open the link we emailed you, or ask for a new one."
        ),
        "otp_required": _("Enter the code from your authenticator app."),
        "otp_invalid": _("This code is not valid: enter the current one from your app."),
        "otp_device_required": _(
            "Staff sign in with two factors: add an authenticator device in the admin first."
        ),
    }

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None
        if not settings.ADMIN_REQUIRE_2FA:
            del self.fields["otp"]

    def clean(self):
        email, password = self.cleaned_data.get("email"), self.cleaned_data.get("password")
        if email is None or password is None:
            return self.cleaned_data
        user = authenticate(self.request, email=email, password=password)
        if user is None:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        refused = services.user_check_sign_in(user=user, otp=self.cleaned_data.get("otp"))
        if refused:
            raise ValidationError(self.error_messages[refused], code=refused)
        self.user = user
        return self.cleaned_data


class SignUpForm(forms.Form):
    email = email_field()
    password = password_field(_("Password"), "new-password")
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    def clean(self):
        password = self.cleaned_data.get("password")
        if password is not None:
            # The password must not resemble the address or the names sent with it.
            names = ("email", "first_name", "last_name")
            candidate = User(**{name: self.cleaned_data.get(name) or "" for name in names})
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return self.cleaned_data


class TokenForm(forms.Form):
    """The token of an emailed link, which `read_token` turns into its user (or an error)."""

    read_token = None
    token = forms.CharField(
        max_length=256,
        widget=forms.HiddenInput,
        error_messages={"required": INVALID_LINK, "max_length": INVALID_LINK},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = None

    def clean_token(self):
        token = self.cleaned_data["token"]
        self.user = type(self).read_token(token)
        return token

    def link_error(self):
        """Why the link cannot be used, or None: the bound form's token error, or for the page
        the link opens (unbound, the token as initial data), what reading the token says."""
        if self.is_bound:
            return next(iter(self.errors.get("token", [])), None)
        try:
            type(self).read_token(self.initial.get("token", ""))
        except ValidationError as error:
            return error.messages[0]
        return None


class EmailVerifyForm(TokenForm):
    read_token = tokens.user_for_email_verification_token


class PasswordResetForm(TokenForm):
    """The token of a reset link, and the new password, twice."""

    read_token = tokens.user_for_password_reset_token
    new_password1 = password_field(_("New password"), "new-password")
    new_password2 = password_field(_("New password again"), "new-password")

    def clean(self):
        first = self.cleaned_data.get("new_password1")
        second = self.cleaned_data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords do not match."))
        elif first and self.user is not None:
            try:
                password_validation.validate_password(first, self.user)
            except ValidationError as error:
                self.add_error("new_password1", error)
        return self.cleaned_data
