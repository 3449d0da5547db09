import pytest
from django.core import mail
from django.db import transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from ...users.tests.factories import UserFactory
from .. import services

pytestmark = pytest.mark.django_db


def test_register_creates_an_unverified_user_and_emails_a_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_register(email=" Lin@Example.com", password="a-long-passphrase")

    assert user.email == "lin@example.com"
    assert not user.email_verified
    assert user.check_password("a-long-passphrase")
    (email,) = mail.outbox
    assert email.to == ["lin@example.com"]
    assert "Confirm your email address" in email.subject


def test_register_with_a_taken_address_creates_nothing():
    UserFactory(email="taken@example.com")

    assert services.user_register(email="TAKEN@example.com", password="irrelevant-pass") is None


def test_nothing_is_emailed_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.user_register(email="gone@example.com", password="a-long-passphrase")
        transaction.set_rollback(True)

    assert mail.outbox == []


def test_a_failing_mail_server_does_not_fail_the_action(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1

    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_register(email="offline@example.com", password="a-long-passphrase")

    assert user.pk is not None
    assert "Work after the response failed: send_mail" in caplog.text


def test_verify_email_marks_the_address_verified():
    user = UserFactory(email_verified=False)

    services.user_verify_email(user=user)

    user.refresh_from_db()
    assert user.email_verified


def test_update_changes_only_the_names():
    user = UserFactory(first_name="Ada", is_staff=False)

    services.user_update(user=user, data={"first_name": "Grace", "is_staff": True})

    user.refresh_from_db()
    assert (user.first_name, user.is_staff) == ("Grace", False)


def test_revoke_tokens_blacklists_every_outstanding_refresh_token():
    user, other = UserFactory.create_batch(2)
    for holder in (user, user, other):
        RefreshToken.for_user(holder)
    BlacklistedToken.objects.create(token=OutstandingToken.objects.filter(user=user).first())

    services.user_revoke_tokens(user=user)

    assert BlacklistedToken.objects.filter(token__user=user).count() == 2
    assert not BlacklistedToken.objects.filter(token__user=other).exists()


def test_password_reset_is_not_sent_to_inactive_or_passwordless_accounts(
    django_capture_on_commit_callbacks,
):
    inactive = UserFactory(is_active=False)
    passwordless = UserFactory()
    passwordless.set_unusable_password()
    passwordless.save()

    with django_capture_on_commit_callbacks(execute=True):
        for user in (inactive, passwordless):
            services.user_request_password_reset(email=user.email)

    assert mail.outbox == []
