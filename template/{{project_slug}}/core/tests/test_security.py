"""Admin hardening: lockout after repeated failures, two-factor sign-in, trusted client IPs."""

import importlib

import pytest
from django.test import RequestFactory, override_settings
from django.urls import clear_url_caches, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ...users.tests.factories import DEFAULT_PASSWORD, UserFactory
from ..net import client_ip

pytestmark = pytest.mark.django_db


def sign_in(client, email, password, ip="198.51.100.20", **extra):
    return client.post(
        reverse("admin:login"),
        {"username": email, "password": password, **extra},
        REMOTE_ADDR=ip,
    )


def reload_urls():
    importlib.reload(importlib.import_module("config.urls"))
    clear_url_caches()


def test_the_admin_lives_at_admin_url_and_nowhere_else(client):
    try:
        with override_settings(ADMIN_URL="hidden-door-7f3k/"):
            reload_urls()
            moved = client.get("/hidden-door-7f3k/login/")
            old = client.get("/admin/login/")
    finally:
        reload_urls()  # back to the project's own ADMIN_URL

    assert client.get("/admin/login/").status_code == 200
    assert moved.status_code == 200
    assert old.status_code == 404


def test_repeated_failures_lock_the_account_out_from_that_address(client, settings):
    user = UserFactory(is_staff=True)

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, user.email, "wrong-password").status_code == 200
    locked = sign_in(client, user.email, "wrong-password")
    with_right_password = sign_in(client, user.email, DEFAULT_PASSWORD)

    assert locked.status_code == 429
    assert b"<h1>Too many failed sign-ins</h1>" in locked.content
    assert with_right_password.status_code == 429
    # Another address is not locked out: an attacker cannot lock a colleague out everywhere.
    assert sign_in(client, user.email, DEFAULT_PASSWORD, ip="198.51.100.21").status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(client, settings):
    user = UserFactory(is_staff=True)

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, user.email, "wrong-password")
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
    client.logout()

    assert sign_in(client, user.email, "wrong-password").status_code == 200


@pytest.fixture
def staff_with_device(settings):
    settings.ADMIN_REQUIRE_2FA = True
    user = UserFactory(is_staff=True, is_superuser=True)
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_two_factor_sign_in_asks_staff_for_a_totp_code(client, staff_with_device):
    user, device = staff_with_device

    without_code = sign_in(client, user.email, DEFAULT_PASSWORD)
    with_code = sign_in(
        client,
        user.email,
        DEFAULT_PASSWORD,
        otp_device=device.persistent_id,
        otp_token=current_code(device),
    )

    assert without_code.status_code == 200
    assert b'name="otp_token"' in without_code.content
    assert with_code.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_two_factor_sign_in_refuses_a_wrong_code(client, staff_with_device):
    user, device = staff_with_device
    wrong = "000000" if current_code(device) != "000000" else "111111"

    response = sign_in(
        client, user.email, DEFAULT_PASSWORD, otp_device=device.persistent_id, otp_token=wrong
    )

    assert response.status_code == 200
    assert b"Invalid token" in response.content
    assert client.get(reverse("admin:index")).status_code == 302


def test_with_two_factor_on_a_session_without_a_code_has_no_admin_access(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_without_two_factor_the_admin_asks_for_no_code(client):
    response = client.get(reverse("admin:login"))

    assert b'name="otp_token"' not in response.content


def request_from(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta)


def test_client_ip_trusts_no_header_by_default():
    assert client_ip(request_from(HTTP_X_FORWARDED_FOR="203.0.113.66")) == "10.0.0.2"


def test_client_ip_reads_digitalocean_s_header_when_configured(settings):
    settings.IPWARE_META_PRECEDENCE_ORDER = ("HTTP_DO_CONNECTING_IP",)

    request = request_from(HTTP_DO_CONNECTING_IP="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert client_ip(request) == "203.0.113.9"


def test_client_ip_refuses_a_spoofed_forwarded_chain(settings):
    settings.IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    settings.IPWARE_META_PROXY_COUNT = 1

    honest = request_from(HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
    spoofed = request_from(HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.0.0.1")

    assert client_ip(honest) == "203.0.113.5"
    assert client_ip(spoofed) == "10.0.0.2"


def test_the_admin_bears_the_project_name(admin_client, settings):
    settings.PROJECT_NAME = "Acme Shop"

    page = admin_client.get(reverse("admin:index")).content.decode()

    assert "<title>Acme Shop | Acme Shop admin</title>" in page
    assert "Acme Shop administration" in page
    assert "Django" not in page
