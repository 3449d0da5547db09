"""The tokens that account emails carry, made and read here.

- Email verification: signed with SECRET_KEY and timestamped (django.core.signing), valid for
  EMAIL_VERIFICATION_TIMEOUT seconds. It names the address it verifies, so changing the address
  voids it.
- Password reset: Django's own token (default_token_generator) with the user's id in front,
  valid for PASSWORD_RESET_TIMEOUT seconds and void once the password changes or the user signs
  in again.

Reading a token that is forged, expired or void raises ValidationError; the error never says
whether an account exists.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

User = get_user_model()

# Named when the API held this module; a new name would void every link already emailed.
VERIFICATION_SALT = "api.email-verification"
# "." instead of signing's ":", which URLs encode (%3A): the token reads the same in a link, so
# a person may paste it from the email.
VERIFICATION_SEPARATOR = "."
# Base64 (the user id) and Django's token use neither of these characters.
RESET_SEPARATOR = "."


def email_verification_token(user):
    signer = signing.TimestampSigner(salt=VERIFICATION_SALT, sep=VERIFICATION_SEPARATOR)
    return signer.sign_object({"id": user.pk, "email": user.email})


def user_for_email_verification_token(token):
    """The active user whose current address the token verifies."""
    signer = signing.TimestampSigner(salt=VERIFICATION_SALT, sep=VERIFICATION_SEPARATOR)
    try:
        claims = signer.unsign_object(token, max_age=settings.EMAIL_VERIFICATION_TIMEOUT)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This link has expired: ask for a new one."), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid."), code="invalid") from None
    user = User.objects.filter(pk=claims["id"], email=claims["email"], is_active=True).first()
    if user is None:
        raise ValidationError(_("This link is not valid."), code="invalid")
    return user


def password_reset_token(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{uid}{RESET_SEPARATOR}{default_token_generator.make_token(user)}"


def user_for_password_reset_token(token):
    """The active user the token lets choose a new password."""
    uid, _separator, django_token = token.partition(RESET_SEPARATOR)
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uid)), is_active=True)
    except (ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, django_token):
        raise ValidationError(
            _("This link is not valid or has expired: ask for a new one."), code="invalid"
        )
    return user
