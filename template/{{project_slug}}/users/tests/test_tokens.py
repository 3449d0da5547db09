from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .. import tokens
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_verification_token_names_its_user():
    user = UserFactory()

    assert tokens.user_for_email_verification_token(tokens.email_verification_token(user)) == user


@pytest.mark.parametrize("make", [tokens.email_verification_token, tokens.password_reset_token])
def test_a_token_reads_the_same_in_a_link(make):
    """People copy the token from the emailed link: URL encoding must not change it."""
    token = make(UserFactory())

    assert quote(token, safe="") == token


def test_a_verification_token_expires(settings):
    token = tokens.email_verification_token(UserFactory())
    settings.EMAIL_VERIFICATION_TIMEOUT = -1

    with pytest.raises(ValidationError) as excinfo:
        tokens.user_for_email_verification_token(token)

    assert excinfo.value.code == "expired"


@pytest.mark.parametrize("change", ["email", "is_active"])
def test_a_verification_token_dies_with_the_address_or_the_account(change):
    user = UserFactory()
    token = tokens.email_verification_token(user)
    if change == "email":
        user.email = "new-address@example.com"
    else:
        user.is_active = False
    user.save()

    with pytest.raises(ValidationError) as excinfo:
        tokens.user_for_email_verification_token(token)

    assert excinfo.value.code == "invalid"


def test_a_tampered_verification_token_is_refused():
    token = tokens.email_verification_token(UserFactory())

    with pytest.raises(ValidationError):
        tokens.user_for_email_verification_token(token[:-1] + ("A" if token[-1] != "A" else "B"))


def test_a_password_reset_token_works_until_the_password_changes():
    user = UserFactory()
    token = tokens.password_reset_token(user)

    assert tokens.user_for_password_reset_token(token) == user
    user.set_password("a-changed-passphrase")
    user.save()
    with pytest.raises(ValidationError):
        tokens.user_for_password_reset_token(token)


@pytest.mark.parametrize(
    "uid",
    ["", "not base64!", urlsafe_base64_encode(b"abc"), urlsafe_base64_encode(force_bytes(10**30))],
)
def test_a_password_reset_token_with_a_bad_user_id_is_refused(uid):
    token = tokens.password_reset_token(UserFactory())
    forged = uid + token[token.index(".") :]

    with pytest.raises(ValidationError) as excinfo:
        tokens.user_for_password_reset_token(forged)

    assert excinfo.value.code == "invalid"
