"""The audit trail records sign-ins, failures, sign-outs, password and admin changes with IPs."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ...users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_records(caplog):
    caplog.set_level("INFO", logger="audit")
    return lambda: [r for r in caplog.records if r.name == "audit"]


def event(records, name):
    (record,) = [r for r in records if r.event == name]
    return record


def login_url():
    return reverse("admin:login")


def test_a_sign_in_is_recorded_with_the_user_and_ip(client, audit_records):
    user = UserFactory(is_staff=True)

    client.post(
        login_url(),
        {"username": user.email, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )

    record = event(audit_records(), "login")
    assert (record.user_id, record.ip) == (user.pk, "198.51.100.7")


def test_a_failed_sign_in_is_recorded_without_the_password(client, audit_records):
    client.post(
        login_url(),
        {"username": "nobody@example.com", "password": "guessed-password"},
        REMOTE_ADDR="198.51.100.8",
    )

    record = event(audit_records(), "login_failed")
    assert (record.attempted, record.ip, record.user_id) == (
        "nobody@example.com",
        "198.51.100.8",
        None,
    )
    assert "guessed-password" not in str(record.__dict__)


def test_a_sign_out_is_recorded(client, audit_records):
    user = UserFactory(is_staff=True)
    client.force_login(user)

    client.post(reverse("admin:logout"), REMOTE_ADDR="198.51.100.9")

    record = event(audit_records(), "logout")
    assert (record.user_id, record.ip) == (user.pk, "198.51.100.9")


def test_a_password_change_is_recorded_with_the_ip_of_the_request(admin_client, audit_records):
    user = UserFactory()

    admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {
            "usable_password": "true",
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
        },
        REMOTE_ADDR="198.51.100.10",
    )

    record = event(audit_records(), "password_changed")
    assert (record.user_id, record.ip) == (user.pk, "198.51.100.10")


def test_creating_a_user_is_not_a_password_change(audit_records):
    get_user_model().objects.create_user(email="new@example.com", password="first-passphrase")

    assert [r for r in audit_records() if r.event == "password_changed"] == []


def test_admin_changes_are_recorded(admin_client, admin_user, audit_records):
    user = UserFactory(first_name="Old")

    admin_client.post(
        reverse("admin:users_user_change", args=[user.pk]),
        {
            "email": user.email,
            "first_name": "New",
            "last_name": user.last_name,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
        REMOTE_ADDR="198.51.100.11",
    )

    record = event(audit_records(), "admin_change")
    assert record.action == "change"
    assert record.user_id == admin_user.pk
    assert record.object == f"users.user:{user.pk}"
    assert record.ip == "198.51.100.11"


def test_bulk_admin_deletions_record_every_object(admin_client, audit_records):
    users = UserFactory.create_batch(3)

    admin_client.post(
        reverse("admin:users_user_changelist"),
        {"action": "delete_selected", "_selected_action": [u.pk for u in users], "post": "yes"},
    )

    deletions = [r for r in audit_records() if r.event == "admin_change"]
    assert sorted(r.object for r in deletions) == sorted(f"users.user:{u.pk}" for u in users)
    assert {r.action for r in deletions} == {"deletion"}
