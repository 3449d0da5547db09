"""With ADMIN_REQUIRE_2FA on, the API asks for the same second factor as the admin.

Without it, a staff password alone would get a token that reads every user through the API.
"""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ...users.tests.factories import DEFAULT_PASSWORD, UserFactory
from .helpers import errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True


def staff(*, device):
    user = UserFactory(is_staff=True, email_verified=True)
    if device:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def current_code(user):
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in(api, user, **extra):
    body = {"email": user.email, "password": DEFAULT_PASSWORD, **extra}
    return api.post(reverse("api:token"), body)


def test_a_staff_password_alone_gets_no_token(api, two_factor):
    response = sign_in(api, staff(device=True))

    assert response.status_code == 401
    assert errors(response) == ("client_error", {(None, "otp_required")})
    assert "access" not in response.json()


def test_staff_with_the_current_code_get_a_token_that_reads_the_user_list(api, two_factor):
    user = staff(device=True)

    access = sign_in(api, user, otp=current_code(user)).json()["access"]

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api.get(reverse("api:user-list")).status_code == 200


def test_a_wrong_code_is_refused(api, two_factor):
    user = staff(device=True)
    wrong = "000000" if current_code(user) != "000000" else "111111"

    response = sign_in(api, user, otp=wrong)

    assert response.status_code == 401
    assert errors(response) == ("client_error", {(None, "otp_invalid")})


def test_staff_without_a_device_may_not_sign_in(api, two_factor):
    response = sign_in(api, staff(device=False))

    assert response.status_code == 401
    assert errors(response) == ("client_error", {(None, "otp_device_required")})


def test_any_user_with_a_device_sends_its_code(api, two_factor, user):
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    assert errors(sign_in(api, user)) == ("client_error", {(None, "otp_required")})
    assert sign_in(api, user, otp=current_code(user)).status_code == 200


def test_other_users_sign_in_with_a_password_alone(api, two_factor, user):
    assert sign_in(api, user).status_code == 200


def test_a_wrong_password_is_refused_before_the_code_is_asked_for(api, two_factor):
    user = staff(device=True)

    response = api.post(reverse("api:token"), {"email": user.email, "password": "a-wrong-one"})

    assert errors(response) == ("client_error", {(None, "no_active_account")})


def test_without_two_factor_staff_sign_in_with_a_password(api):
    assert sign_in(api, staff(device=True)).status_code == 200
