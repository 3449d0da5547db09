import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from .factories import UserFactory

User = get_user_model()

pytestmark = pytest.mark.django_db


def test_changelist_lists_and_searches_users(admin_client):
    UserFactory(email="findme@example.com")
    UserFactory(email="other@example.com")

    response = admin_client.get(reverse("admin:users_user_changelist"), {"q": "findme"})

    assert response.status_code == 200
    assert b"findme@example.com" in response.content
    assert b"other@example.com" not in response.content


def test_add_user_through_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:users_user_add"),
        {
            "email": "New.Person@Example.com",
            "usable_password": "true",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password("a-long-and-unusual-passphrase")


def test_add_user_refuses_a_duplicate_email(admin_client):
    UserFactory(email="taken@example.com")

    response = admin_client.post(
        reverse("admin:users_user_add"),
        {
            "email": "Taken@example.com",
            "usable_password": "true",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )

    assert response.status_code == 200
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_change_page_renders(admin_client):
    user = UserFactory()

    response = admin_client.get(reverse("admin:users_user_change", args=[user.pk]))

    assert response.status_code == 200
    assert user.email.encode() in response.content


def test_admin_requires_staff(client):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:users_user_changelist"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]
