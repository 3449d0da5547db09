"""Account actions behind the API: keyword-only `<entity>_<action>` functions, each atomic.

Emails go out once the transaction commits (transaction.on_commit), so an action that rolls
back sends nothing, and after the response is sent (after_response.py), so an answer takes as
long whether or not an email was due; a mail server that fails is logged and does not fail the
action.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django_otp import match_token
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from . import selectors, tokens
from .after_response import run_after_response

User = get_user_model()

UPDATABLE_USER_FIELDS = ("first_name", "last_name")


def user_register(*, email, password, first_name="", last_name=""):
    """Create an unverified account and email it a verification link.

    An address that already has an account (in any case) gets an email saying so instead, and
    nothing is created: the caller answers the same either way, so registering cannot be used
    to find out who has an account. Returns the new user, or None.
    """
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, first_name=first_name, last_name=last_name
            )
    except IntegrityError:
        existing = selectors.user_get_by_email(email=email)
        if existing is not None:
            _send_after_commit(existing, "account_exists", "You already have an account")
        return None
    user_send_verification(user=user)
    return user


def user_send_verification(*, user):
    """Email the user a new link that verifies their address."""
    link = _frontend_link("verify-email", token=tokens.email_verification_token(user))
    hours = settings.EMAIL_VERIFICATION_TIMEOUT // 3600
    _send_after_commit(user, "verify_email", "Confirm your email address", link=link, hours=hours)


def user_request_verification(*, email):
    """Send a new verification link if the address belongs to an active, unverified account."""
    user = selectors.user_get_by_email(email=email)
    if user is not None and user.is_active and not user.email_verified:
        user_send_verification(user=user)


@transaction.atomic
def user_verify_email(*, user):
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


@transaction.atomic
def user_update(*, user, data):
    """Change the fields a user may change about themselves (their names)."""
    fields = [name for name in UPDATABLE_USER_FIELDS if name in data]
    for name in fields:
        setattr(user, name, data[name])
    if fields:
        user.save(update_fields=fields)
    return user


@transaction.atomic
def user_change_password(*, user, password):
    """Set a new password and sign the user out everywhere: every token they hold is revoked."""
    user.set_password(password)
    user.save(update_fields=["password"])
    user_revoke_tokens(user=user)
    return user


def user_request_password_reset(*, email):
    """Email a password reset link if the address belongs to an active account with a password.

    Nothing tells the caller whether it did.
    """
    user = selectors.user_get_by_email(email=email)
    if user is not None and user.is_active and user.has_usable_password():
        link = _frontend_link("reset-password", token=tokens.password_reset_token(user))
        _send_after_commit(user, "password_reset", "Reset your password", link=link)


@transaction.atomic
def user_reset_password(*, user, password):
    """Set the password chosen through a reset link; the link reached the mailbox, so the
    address is verified too."""
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    return user_change_password(user=user, password=password)


def user_pass_second_factor(*, user, code):
    """Check the second factor of a sign-in with a password: None if it may go on, else why not.

    With ADMIN_REQUIRE_2FA on, a user with a confirmed device (TOTP, or a static code from
    `manage.py addstatictoken`) must send a current code from it, and staff, who need one for
    the admin, may not sign in without a device. django-otp throttles wrong codes per device.
    """
    if not settings.ADMIN_REQUIRE_2FA:
        return None
    if not selectors.user_has_second_factor(user=user):
        return "otp_device_required" if user.is_staff else None
    if not code:
        return "otp_required"
    return None if match_token(user, code) else "otp_invalid"


@transaction.atomic
def user_revoke_tokens(*, user):
    """Blacklist every refresh token the user holds (access tokens die with the password)."""
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


def _frontend_link(page, **query):
    return f"{settings.FRONTEND_URL.rstrip('/')}/{page}?{urlencode(query)}"


def _send_after_commit(user, template, subject, **context):
    """Email `user` the text of api/email/<template>.txt once the transaction commits, after the
    response is sent."""
    body = render_to_string(
        f"api/email/{template}.txt",
        {"email": user.email, "project_name": settings.PROJECT_NAME, **context},
    )
    subject = f"{subject} ({settings.PROJECT_NAME})"
    transaction.on_commit(lambda: run_after_response(send_mail, subject, body, None, [user.email]))
