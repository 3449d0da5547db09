"""Reads of users: keyword-only `<entity>_<verb>` functions.

List querysets fetch related rows up front, so a page costs the same number of queries however
many rows it shows.
"""

from django.contrib.auth import get_user_model
from django_otp import user_has_device

from .models import normalize_email

User = get_user_model()


def user_get_by_email(*, email):
    """The user with this address (any case), or None."""
    return User.objects.filter(email__iexact=normalize_email(email)).first()


def user_list():
    """Every user, with their groups fetched in one more query rather than one per user."""
    return User.objects.prefetch_related("groups").order_by("email")


def user_has_second_factor(*, user):
    """Whether the user has a confirmed two-factor device (django-otp)."""
    return user_has_device(user, confirmed=True)
