"""The whole account life through the API: register, verify, sign in, refresh, sign out,
change and reset the password."""

import pytest
from django.core import mail
from django.urls import reverse

from ...users.tests.factories import DEFAULT_PASSWORD, UserFactory
from .helpers import emailed_token, errors

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase"


def sign_in(api, email, password):
    return api.post(reverse("api:token"), {"email": email, "password": password})


def bearer(api, access):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return api


def test_register_verify_sign_in_and_read_me(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registered = api.post(
            reverse("api:register"),
            {"email": "Ada@Example.com", "password": "analytical-engine-1843", "first_name": "Ada"},
        )
    assert registered.status_code == 202
    (email,) = mail.outbox
    assert email.to == ["ada@example.com"]
    assert "/verify-email?token=" in email.body

    # Unverified accounts may not sign in (EMAIL_VERIFICATION_REQUIRED).
    refused = sign_in(api, "ada@example.com", "analytical-engine-1843")
    assert refused.status_code == 401
    assert errors(refused) == ("client_error", {(None, "email_not_verified")})

    verified = api.post(reverse("api:email-verify"), {"token": emailed_token()})
    assert verified.status_code == 200

    tokens = sign_in(api, "ADA@example.com", "analytical-engine-1843")
    assert tokens.status_code == 200
    assert set(tokens.json()) == {"access", "refresh"}
    me = bearer(api, tokens.json()["access"]).get(reverse("api:me"))
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.com"
    assert me.json()["first_name"] == "Ada"
    assert me.json()["email_verified"] is True


def test_unverified_accounts_may_sign_in_when_the_setting_allows(api, settings):
    settings.EMAIL_VERIFICATION_REQUIRED = False
    user = UserFactory(email_verified=False)

    assert sign_in(api, user.email, DEFAULT_PASSWORD).status_code == 200


def test_signing_in_records_the_time(api, user):
    assert user.last_login is None

    sign_in(api, user.email, DEFAULT_PASSWORD)

    user.refresh_from_db()
    assert user.last_login is not None


@pytest.mark.parametrize(
    ("email", "password"),
    [("nobody@example.com", DEFAULT_PASSWORD), ("{user}", "not-the-password")],
)
def test_wrong_credentials_are_refused_alike(api, user, email, password):
    response = sign_in(api, email.format(user=user.email), password)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert errors(response) == ("client_error", {(None, "no_active_account")})


def test_an_inactive_account_cannot_sign_in(api):
    user = UserFactory(email_verified=True, is_active=False)

    assert sign_in(api, user.email, DEFAULT_PASSWORD).status_code == 401


def test_refresh_rotates_and_the_old_refresh_token_is_rejected(api, user):
    first = sign_in(api, user.email, DEFAULT_PASSWORD).json()

    refreshed = api.post(reverse("api:token-refresh"), {"refresh": first["refresh"]})
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["refresh"] != first["refresh"]

    reused = api.post(reverse("api:token-refresh"), {"refresh": first["refresh"]})
    assert reused.status_code == 401
    assert errors(reused) == ("client_error", {(None, "token_not_valid")})
    assert api.post(reverse("api:token-refresh"), {"refresh": second["refresh"]}).status_code == 200


def test_sign_out_blacklists_the_refresh_token(api, user):
    tokens = sign_in(api, user.email, DEFAULT_PASSWORD).json()

    signed_out = api.post(reverse("api:token-blacklist"), {"refresh": tokens["refresh"]})

    assert signed_out.status_code == 200
    refused = api.post(reverse("api:token-refresh"), {"refresh": tokens["refresh"]})
    assert refused.status_code == 401


def test_a_refresh_token_of_a_deleted_user_is_refused(api):
    user = UserFactory(email_verified=True)
    refresh = sign_in(api, user.email, DEFAULT_PASSWORD).json()["refresh"]
    user.delete()

    response = api.post(reverse("api:token-refresh"), {"refresh": refresh})

    assert response.status_code == 401
    assert errors(response) == ("client_error", {(None, "no_active_account")})


def test_requests_without_a_valid_token_are_refused(api):
    assert api.get(reverse("api:me")).status_code == 401

    response = bearer(api, "not.a.token").get(reverse("api:me"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert errors(response) == ("client_error", {(None, "token_not_valid")})


def test_change_password_signs_out_everywhere(api, user):
    tokens = sign_in(api, user.email, DEFAULT_PASSWORD).json()

    changed = bearer(api, tokens["access"]).post(
        reverse("api:password-change"),
        {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert changed.status_code == 204
    revoked = api.get(reverse("api:me"))
    assert revoked.status_code == 401
    assert errors(revoked) == ("client_error", {(None, "password_changed")})
    api.credentials()
    assert api.post(reverse("api:token-refresh"), tokens).status_code == 401
    assert sign_in(api, user.email, DEFAULT_PASSWORD).status_code == 401
    assert sign_in(api, user.email, NEW_PASSWORD).status_code == 200


def test_change_password_needs_the_current_one(signed_in):
    response = signed_in.post(
        reverse("api:password-change"),
        {"old_password": "a-wrong-guess-here", "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 400
    assert errors(response) == ("validation_error", {("old_password", "wrong_password")})


def test_password_reset_end_to_end(api, user, django_capture_on_commit_callbacks):
    old_tokens = sign_in(api, user.email, DEFAULT_PASSWORD).json()
    with django_capture_on_commit_callbacks(execute=True):
        requested = api.post(reverse("api:password-reset"), {"email": user.email.upper()})
    assert requested.status_code == 202
    (email,) = mail.outbox
    assert email.to == [user.email]
    assert "/reset-password?token=" in email.body
    token = emailed_token()

    confirmed = api.post(
        reverse("api:password-reset-confirm"), {"token": token, "new_password": NEW_PASSWORD}
    )

    assert confirmed.status_code == 204
    assert sign_in(api, user.email, NEW_PASSWORD).status_code == 200
    assert api.post(reverse("api:token-refresh"), old_tokens).status_code == 401
    # The link works once: the password it was made for has changed.
    reused = api.post(
        reverse("api:password-reset-confirm"), {"token": token, "new_password": NEW_PASSWORD}
    )
    assert reused.status_code == 400
    assert errors(reused) == ("validation_error", {("token", "invalid")})


def test_a_password_reset_verifies_the_email_address(api, django_capture_on_commit_callbacks):
    user = UserFactory(email_verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(reverse("api:password-reset"), {"email": user.email})

    api.post(
        reverse("api:password-reset-confirm"),
        {"token": emailed_token(), "new_password": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert user.email_verified


def test_password_reset_does_not_reveal_who_has_an_account(
    api, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = api.post(reverse("api:password-reset"), {"email": user.email})
        unknown = api.post(reverse("api:password-reset"), {"email": "stranger@example.com"})

    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert [email.to for email in mail.outbox] == [[user.email]]


def test_registering_a_taken_address_reveals_nothing_and_warns_its_owner(
    api, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = api.post(
            reverse("api:register"),
            {"email": user.email.upper(), "password": "someone-elses-passphrase"},
        )
        free = api.post(
            reverse("api:register"),
            {"email": "newcomer@example.com", "password": "someone-elses-passphrase"},
        )

    assert (taken.status_code, taken.json()) == (free.status_code, free.json())
    warning, verification = mail.outbox
    assert warning.to == [user.email]
    assert "already has one" in warning.body
    assert verification.to == ["newcomer@example.com"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_resend_sends_a_new_link_to_unverified_accounts_only(
    api, user, django_capture_on_commit_callbacks
):
    unverified = UserFactory(email_verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        for email in (unverified.email, user.email, "stranger@example.com"):
            response = api.post(reverse("api:email-resend"), {"email": email})
            assert response.status_code == 202

    assert [email.to for email in mail.outbox] == [[unverified.email]]
    verified = api.post(reverse("api:email-verify"), {"token": emailed_token()})
    assert verified.status_code == 200
    unverified.refresh_from_db()
    assert unverified.email_verified
