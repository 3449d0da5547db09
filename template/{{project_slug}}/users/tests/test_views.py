"""The account pages: sign in and out, create an account, confirm it, reset a password."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "a-brand-new-passphrase"
SIGN_UP_PASSWORD = "analytical-engine-1843"


def sign_in(client, email, password, ip="198.51.100.30", **extra):
    return client.post(
        reverse("users:login"), {"email": email, "password": password, **extra}, REMOTE_ADDR=ip
    )


def signed_in_user(client):
    return client.get("/").context["user"]


def emailed_link():
    (link,) = re.findall(r"https?://\S+", mail.outbox[-1].body)
    return link


def path_of(link):
    """The link as the test client requests it: its path and query, on this site."""
    return re.sub(r"^https?://[^/]+", "", link)


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def user():
    return UserFactory(email_verified=True)


def test_the_sign_in_page_is_linked_from_every_page(client):
    page = client.get("/").content.decode()

    assert 'href="/accounts/login/"' in page
    assert 'href="/accounts/signup/"' in page


def test_signing_in_goes_home_with_the_header_showing_who(client, user):
    response = sign_in(client, user.email.upper(), DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user(client) == user
    page = client.get("/").content.decode()
    assert user.email in page
    assert 'action="/accounts/logout/"' in page


@pytest.mark.parametrize(
    ("email", "password"),
    [("person@example.com", "wrong-password"), ("nobody@example.com", DEFAULT_PASSWORD)],
)
def test_a_wrong_address_or_password_gets_the_same_error(client, email, password):
    UserFactory(email="person@example.com", email_verified=True)

    response = sign_in(client, email, password)

    assert response.status_code == 200
    assert "Enter a correct email address and password." in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_an_unverified_address_may_not_sign_in(client):
    user = UserFactory(email_verified=False)

    response = sign_in(client, user.email, DEFAULT_PASSWORD)

    assert response.status_code == 200
    assert "Confirm your email address first" in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_an_inactive_account_may_not_sign_in(client):
    user = UserFactory(email_verified=True, is_active=False)

    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 200
    assert not signed_in_user(client).is_authenticated


@pytest.mark.parametrize(
    "data",
    [{}, {"email": "a" * 300 + "@example.com", "password": "x"}, {"email": "not-an-address"}],
)
def test_bad_input_gets_the_form_back_with_errors(client, data):
    response = client.post(reverse("users:login"), data)

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_a_safe_next_page_is_where_signing_in_leads(client, user):
    response = sign_in(client, user.email, DEFAULT_PASSWORD, next="/somewhere/?page=2")

    assert response["Location"] == "/somewhere/?page=2"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com", "javascript:x"],
)
def test_a_next_page_on_another_site_is_ignored(client, user, target):
    response = sign_in(client, user.email, DEFAULT_PASSWORD, next=target)

    assert response["Location"] == "/"


def test_the_sign_in_form_carries_next_along(client):
    page = client.get(reverse("users:login"), {"next": "/somewhere/"}).content.decode()

    assert '<input type="hidden" name="next" value="/somewhere/">' in page


def test_repeated_failures_lock_the_account_out_from_that_address(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, user.email, "wrong-password").status_code == 200
    locked = sign_in(client, user.email, "wrong-password")
    with_right_password = sign_in(client, user.email, DEFAULT_PASSWORD)

    assert locked.status_code == 429
    assert b"<h1>Too many failed sign-ins</h1>" in locked.content
    assert with_right_password.status_code == 429
    assert sign_in(client, user.email, DEFAULT_PASSWORD, ip="198.51.100.31").status_code == 302


@pytest.fixture
def staff_with_device(settings):
    settings.ADMIN_REQUIRE_2FA = True
    staff = UserFactory(is_staff=True, email_verified=True)
    return staff, TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)


def test_with_two_factor_on_staff_need_their_code(client, staff_with_device):
    staff, device = staff_with_device

    without_code = sign_in(client, staff.email, DEFAULT_PASSWORD)
    with_code = sign_in(client, staff.email, DEFAULT_PASSWORD, otp=current_code(device))
    assert signed_in_user(client) == staff
    client.post(reverse("users:logout"))
    # After the right code (a wrong one first would have django-otp hold the device back a while).
    wrong_code = sign_in(client, staff.email, DEFAULT_PASSWORD, otp="12345678")

    assert 'name="otp"' in without_code.content.decode()
    assert "Enter the code from your authenticator app." in without_code.content.decode()
    assert with_code.status_code == 302
    assert "This code is not valid" in wrong_code.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_with_two_factor_on_staff_without_a_device_may_not_sign_in(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    staff = UserFactory(is_staff=True, email_verified=True)

    response = sign_in(client, staff.email, DEFAULT_PASSWORD)

    assert "add an authenticator device in the admin first" in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_without_two_factor_the_form_has_no_code_field(client):
    assert 'name="otp"' not in client.get(reverse("users:login")).content.decode()


def test_signing_out_takes_a_post(client, user):
    client.force_login(user)

    assert client.get(reverse("users:logout")).status_code == 405
    assert signed_in_user(client) == user
    response = client.post(reverse("users:logout"))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not signed_in_user(client).is_authenticated


def sign_up(client, email, password=SIGN_UP_PASSWORD, **extra):
    return client.post(reverse("users:signup"), {"email": email, "password": password, **extra})


def test_signing_up_creates_an_account_to_confirm_then_sign_in_to(
    client, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "Ada@Example.com", first_name="Ada")

    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    user = User.objects.get()
    assert (user.email, user.first_name, user.email_verified) == ("ada@example.com", "Ada", False)
    assert mail.outbox[-1].to == ["ada@example.com"]
    link = emailed_link()
    assert link.startswith(f"{settings.SITE_URL}/accounts/verify-email/?token=")
    assert not signed_in_user(client).is_authenticated

    page = client.get(path_of(link))
    assert page.status_code == 200
    token = page.context["form"]["token"].value()
    confirmed = client.post(reverse("users:verify-email"), {"token": token}, follow=True)

    assert confirmed.redirect_chain == [("/accounts/login/", 302)]
    assert "Your email address is confirmed" in confirmed.content.decode()
    user.refresh_from_db()
    assert user.email_verified
    assert sign_in(client, "ada@example.com", SIGN_UP_PASSWORD).status_code == 302


def test_signing_up_with_a_taken_address_looks_the_same_and_tells_its_owner(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="taken@example.com")
    new = sign_up(client, "new@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        taken = sign_up(client, "TAKEN@example.com")

    assert taken.status_code == new.status_code == 200
    assert taken.content == new.content
    assert User.objects.filter(email__iexact="taken@example.com").get() == owner
    assert mail.outbox[-1].to == ["taken@example.com"]
    assert "You already have an account" in mail.outbox[-1].subject


@pytest.mark.parametrize(
    "data",
    [
        {"email": "weak@example.com", "password": "12345"},
        {"email": "similar@example.com", "password": "similar@example.com"},
        {"email": "a" * 300 + "@example.com", "password": SIGN_UP_PASSWORD},
        {"email": "", "password": ""},
        {"email": "long@example.com", "password": "p" * 200},
    ],
)
def test_a_refused_sign_up_creates_nothing(client, data):
    response = client.post(reverse("users:signup"), data)

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not User.objects.exists()


def test_a_new_confirmation_link_is_sent_to_an_unconfirmed_account(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email_verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("users:verify-email-resend"), {"email": user.email})
        unknown = client.post(reverse("users:verify-email-resend"), {"email": "no@example.com"})

    assert known.content == unknown.content
    (email,) = mail.outbox
    assert email.to == [user.email]
    assert "/accounts/verify-email/?token=" in email.body


@pytest.mark.parametrize("page", ["users:verify-email", "users:password-reset-confirm"])
@pytest.mark.parametrize("token", ["", "forged", "x" * 300])
def test_a_bad_link_says_so_and_offers_a_new_one(client, page, token):
    opened = client.get(reverse(page), {"token": token})
    posted = client.post(reverse(page), {"token": token, "new_password1": NEW_PASSWORD})

    assert opened.status_code == posted.status_code == 400
    assert "This link is not valid" in opened.content.decode()
    assert "Ask for a new link" in posted.content.decode()


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        requested = client.post(reverse("users:password-reset"), {"email": user.email.upper()})
    assert "Check your email" in requested.content.decode()
    link = emailed_link()
    assert "/accounts/password-reset/confirm/?token=" in link

    page = client.get(path_of(link))
    token = page.context["form"]["token"].value()
    mismatch = client.post(
        path_of(link),
        {"token": token, "new_password1": NEW_PASSWORD, "new_password2": "something-else"},
    )
    too_weak = client.post(
        path_of(link), {"token": token, "new_password1": "12345", "new_password2": "12345"}
    )
    changed = client.post(
        path_of(link),
        {"token": token, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert page.status_code == 200
    assert mismatch.status_code == too_weak.status_code == 200
    assert "The two passwords do not match." in mismatch.content.decode()
    assert changed.status_code == 302
    assert changed["Location"] == "/accounts/login/"
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 302
    # The link works once: the password it was made for has changed.
    assert client.get(path_of(link)).status_code == 400


def test_a_reset_request_looks_the_same_for_an_unknown_address(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(reverse("users:password-reset"), {"email": "nobody@example.com"})
    known = client.post(reverse("users:password-reset"), {"email": user.email})

    assert unknown.content == known.content
    assert mail.outbox == []


@pytest.mark.parametrize(
    "name",
    ["users:login", "users:signup", "users:password-reset", "users:verify-email-resend"],
)
def test_the_account_pages_render_under_the_content_security_policy(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    page = response.content.decode()
    assert "<script" not in page
    assert "style=" not in page
    assert "<style" not in page
