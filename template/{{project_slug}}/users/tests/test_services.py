"""Account actions, without any transport: registration, verification, passwords, sign-in rules."""

import pytest
from django.core import mail
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import services
from ..signals import password_changed
from .factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_register_creates_an_unverified_user_and_emails_a_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_register(email=" Lin@Example.com", password="a-long-passphrase")

    assert user.email == "lin@example.com"
    assert not user.email_verified
    assert user.check_password("a-long-passphrase")
    (email,) = [email for email in mail.outbox if "Confirm" in email.subject]
    assert email.to == ["lin@example.com"]


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


@pytest.fixture
def password_changes():
    """The users password_changed was sent for, as a receiver (the API's) gets them."""
    received = []

    def receiver(sender, user, **kwargs):
        received.append(user)

    password_changed.connect(receiver)
    yield received
    password_changed.disconnect(receiver)


def test_change_password_sets_it_and_says_so(password_changes):
    user = UserFactory()

    services.user_change_password(user=user, password="a-changed-passphrase")

    user.refresh_from_db()
    assert user.check_password("a-changed-passphrase")
    assert password_changes == [user]


def test_a_reset_through_the_emailed_link_also_verifies_the_address(
    django_capture_on_commit_callbacks, password_changes
):
    user = UserFactory(email_verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.user_request_password_reset(email=user.email.upper())
    (email,) = mail.outbox
    assert "/accounts/password-reset/confirm/?token=" in email.body

    services.user_reset_password(user=user, password="a-chosen-passphrase")

    user.refresh_from_db()
    assert user.email_verified
    assert user.check_password("a-chosen-passphrase")
    assert password_changes == [user]


def test_a_new_verification_link_goes_to_unverified_active_accounts_only(
    django_capture_on_commit_callbacks,
):
    unverified = UserFactory(email_verified=False)
    others = [UserFactory(email_verified=True), UserFactory(email_verified=False, is_active=False)]

    with django_capture_on_commit_callbacks(execute=True):
        for user in [unverified, *others]:
            services.user_request_verification(email=user.email)
        services.user_request_verification(email="nobody@example.com")

    (email,) = mail.outbox
    assert email.to == [unverified.email]
    assert "/accounts/verify-email/?token=" in email.body


def test_a_taken_address_gets_an_email_saying_so(django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        services.user_register(email="Taken@example.com", password=DEFAULT_PASSWORD)

    (email,) = mail.outbox
    assert email.to == ["taken@example.com"]
    assert "You already have an account" in email.subject


@pytest.mark.parametrize(
    ("verified", "required", "refusal"),
    [(True, True, None), (False, True, "email_not_verified"), (False, False, None)],
)
def test_sign_in_needs_a_verified_address_when_required(settings, verified, required, refusal):
    settings.EMAIL_VERIFICATION_REQUIRED = required

    user = UserFactory(email_verified=verified)

    assert services.user_check_sign_in(user=user, otp=None) == refusal


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_with_two_factor_on_sign_in_needs_the_device_s_current_code(settings):
    settings.ADMIN_REQUIRE_2FA = True
    user = UserFactory(email_verified=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    wrong = "000000" if current_code(device) != "000000" else "111111"

    assert services.user_check_sign_in(user=user, otp="") == "otp_required"
    assert services.user_check_sign_in(user=user, otp=current_code(device)) is None
    # After the right code (a wrong one first would have django-otp hold the device back a while).
    assert services.user_check_sign_in(user=user, otp=wrong) == "otp_invalid"


def test_with_two_factor_on_staff_without_a_device_may_not_sign_in(settings):
    settings.ADMIN_REQUIRE_2FA = True

    staff = UserFactory(is_staff=True, email_verified=True)
    other = UserFactory(email_verified=True)

    assert services.user_check_sign_in(user=staff, otp=None) == "otp_device_required"
    assert services.user_check_sign_in(user=other, otp=None) is None


@pytest.mark.parametrize(
    ("front_end", "verify", "reset"),
    [
        # No front end: this site's own account pages (users/urls.py), at SITE_URL.
        (
            "",
            "https://www.example.com/accounts/verify-email/?token=",
            "https://www.example.com/accounts/password-reset/confirm/?token=",
        ),
        (
            "https://app.example.com/",
            "https://app.example.com/verify-email?token=",
            "https://app.example.com/reset-password?token=",
        ),
    ],
)
def test_emailed_links_open_the_front_end_s_pages_or_this_site_s(
    settings, django_capture_on_commit_callbacks, front_end, verify, reset
):
    settings.FRONTEND_URL = front_end
    settings.SITE_URL = "https://www.example.com/"
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.user_send_verification(user=user)
        services.user_request_password_reset(email=user.email)

    verification, password_reset = (email.body for email in mail.outbox)
    assert verify in verification
    assert reset in password_reset
