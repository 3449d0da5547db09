"""Bad input gets 400 (or 415) in the error shape, never a 500."""

import json

import pytest
from django.urls import reverse

from ...users.tests.factories import DEFAULT_PASSWORD
from .. import tokens
from .helpers import errors

pytestmark = pytest.mark.django_db

PASSWORD_CODES = {"password_too_short", "password_too_common", "password_entirely_numeric"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, {("email", "required"), ("password", "required")}),
        ({"email": "ada@example.com"}, {("password", "required")}),
        ({"email": 42, "password": ["a", "list"]}, {("email", "invalid"), ("password", "invalid")}),
        ({"email": None, "password": None}, {("email", "null"), ("password", "null")}),
        ({"email": "not-an-email", "password": "x" * 20}, {("email", "invalid")}),
        (
            {"email": "a" * 250 + "@example.com", "password": "a-fine-passphrase"},
            {("email", "max_length")},
        ),
        (
            {"email": "ada\x00@example.com", "password": "a-fine-passphrase"},
            {("email", "invalid"), ("email", "null_characters_not_allowed")},
        ),
        ({"email": "ada@example.com", "password": "x" * 129}, {("password", "max_length")}),
        (
            {"email": "ada@example.com", "password": "a-fine-passphrase", "first_name": "n" * 151},
            {("first_name", "max_length")},
        ),
        ([1, 2, 3], {("non_field_errors", "invalid")}),
    ],
)
def test_register_refuses_bad_input(api, body, expected):
    response = api.post(reverse("api:register"), json.dumps(body), content_type="application/json")

    assert response.status_code == 400
    assert errors(response) == ("validation_error", expected)


@pytest.mark.parametrize("password", ["password", "12345678901234", "ada@example.com!"])
def test_register_refuses_a_weak_password(api, password):
    response = api.post(reverse("api:register"), {"email": "ada@example.com", "password": password})

    assert response.status_code == 400
    kind, codes = errors(response)
    assert kind == "validation_error"
    assert {attr for attr, _ in codes} == {"password"}
    assert {code for _, code in codes} & (PASSWORD_CODES | {"password_too_similar"})


def test_malformed_json_is_a_parse_error(api):
    response = api.post(
        reverse("api:token"), '{"email": "ada@example.com",', content_type="application/json"
    )

    assert response.status_code == 400
    assert errors(response) == ("client_error", {(None, "parse_error")})


def test_a_form_body_is_an_unsupported_media_type(api):
    response = api.post(reverse("api:token"), "email=a%40example.com", content_type="text/plain")

    assert response.status_code == 415
    assert errors(response) == ("client_error", {(None, "unsupported_media_type")})


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("api:token", {"email": "a@example.com"}, {("password", "required")}),
        (
            "api:token",
            {"email": "a" * 256 + "@example.com", "password": "p" * 129, "otp": "1" * 17},
            {("email", "max_length"), ("password", "max_length"), ("otp", "max_length")},
        ),
        ("api:token-refresh", {"refresh": "x" * 2049}, {("refresh", "max_length")}),
        ("api:token-blacklist", {"refresh": "x" * 2049}, {("refresh", "max_length")}),
        ("api:token-refresh", {"refresh": ""}, {("refresh", "blank")}),
        ("api:token-blacklist", {}, {("refresh", "required")}),
        ("api:email-verify", {"token": "forged:token:value"}, {("token", "invalid")}),
        ("api:email-verify", {"token": "t" * 257}, {("token", "max_length")}),
        ("api:email-resend", {"email": "nope"}, {("email", "invalid")}),
        ("api:password-reset", {"email": ["a@example.com"]}, {("email", "invalid")}),
        (
            "api:password-reset-confirm",
            {"token": "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA.bad-token", "new_password": "a-fine-passphrase"},
            {("token", "invalid")},
        ),
        (
            "api:password-reset-confirm",
            {"token": "%%%.###", "new_password": "a-fine-passphrase"},
            {("token", "invalid")},
        ),
        (
            "api:password-reset-confirm",
            {"token": "x"},
            {("token", "invalid"), ("new_password", "required")},
        ),
    ],
)
def test_auth_endpoints_refuse_bad_input(api, name, body, expected):
    response = api.post(reverse(name), body)

    assert response.status_code == 400
    assert errors(response) == ("validation_error", expected)


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "x" * 300])
def test_bad_refresh_tokens_are_refused(api, token):
    response = api.post(reverse("api:token-refresh"), {"refresh": token})

    assert response.status_code == 401
    assert errors(response) == ("client_error", {(None, "token_not_valid")})


def test_an_access_token_is_not_a_refresh_token(api, user):
    tokens = api.post(
        reverse("api:token"), {"email": user.email, "password": DEFAULT_PASSWORD}
    ).json()

    response = api.post(reverse("api:token-refresh"), {"refresh": tokens["access"]})

    assert response.status_code == 401


def test_me_refuses_bad_names(signed_in):
    response = signed_in.patch(reverse("api:me"), {"first_name": "n" * 151, "last_name": 7})

    assert response.status_code == 400
    assert errors(response) == ("validation_error", {("first_name", "max_length")})


def test_the_new_password_is_checked_against_the_validators(signed_in):
    response = signed_in.post(
        reverse("api:password-change"),
        {"old_password": DEFAULT_PASSWORD, "new_password": "1234"},
    )

    assert response.status_code == 400
    assert errors(response) == (
        "validation_error",
        {("new_password", code) for code in PASSWORD_CODES},
    )


def test_a_reset_password_is_checked_against_the_validators(api, user):
    token = tokens.password_reset_token(user)

    response = api.post(
        reverse("api:password-reset-confirm"), {"token": token, "new_password": "q7#v"}
    )

    assert response.status_code == 400
    assert errors(response) == ("validation_error", {("new_password", "password_too_short")})
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize("name", ["api:token", "api:register", "api:password-reset"])
def test_a_body_over_the_upload_limit_is_413_in_the_error_shape(api, settings, caplog, name):
    padding = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"email": "ada@example.com", "password": padding})

    response = api.post(reverse(name), body, content_type="application/json")

    assert response.status_code == 413
    assert errors(response) == ("client_error", {(None, "request_too_large")})
    assert [record for record in caplog.records if record.levelname == "ERROR"] == []
