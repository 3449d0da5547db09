"""What the API itself writes: its own sign-in tokens (simplejwt). Account actions are the users
app's (users/services.py); the API's views call them.
"""

from django.db import transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken


@transaction.atomic
def user_revoke_tokens(*, user):
    """Blacklist every refresh token the user holds (access tokens die with the password)."""
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


def on_password_changed(sender, user, **kwargs):
    """users.signals.password_changed (connected in apps.py): a new password signs the user out
    of the API everywhere."""
    user_revoke_tokens(user=user)
