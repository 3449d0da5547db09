"""Which account a sign-in attempt is for, as django-axes counts failures (AXES_USERNAME_CALLABLE).

Forms name the field "username" (the admin) or "email" (an API); both count against the same
account, whatever the case of the address.
"""

from .models import normalize_email


def attempted_account(request, credentials):
    credentials = credentials or {}
    email = credentials.get("email") or credentials.get("username")
    if email is None and request is not None:
        email = request.POST.get("email") or request.POST.get("username")
    return normalize_email(email)
