"""/api/v1/users/me/ for everyone, /api/v1/users/ for staff: pagination, filters, query counts."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework_simplejwt.tokens import RefreshToken

from ...users.tests.factories import UserFactory
from .helpers import errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(api):
    """The API client, signed in as a staff member."""
    member = UserFactory(email="staff@example.com", is_staff=True, email_verified=True)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(member).access_token}")
    return api


def test_me_shows_the_signed_in_user(signed_in, user):
    response = signed_in.get(reverse("api:me"))

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email_verified": True,
        "date_joined": response.json()["date_joined"],
    }


def test_me_changes_the_names_and_nothing_else(signed_in, user):
    response = signed_in.patch(
        reverse("api:me"),
        {"first_name": "Grace", "email": "other@example.com", "email_verified": False},
    )

    assert response.status_code == 200
    assert response.json()["first_name"] == "Grace"
    user.refresh_from_db()
    assert (user.first_name, user.email, user.email_verified) == ("Grace", user.email, True)
    assert user.email != "other@example.com"


def test_me_refuses_put(signed_in):
    response = signed_in.put(reverse("api:me"), {"first_name": "Grace"})

    assert response.status_code == 405
    assert errors(response) == ("client_error", {(None, "method_not_allowed")})


def test_the_user_list_is_for_staff_only(signed_in):
    response = signed_in.get(reverse("api:user-list"))

    assert response.status_code == 403
    assert errors(response) == ("client_error", {(None, "permission_denied")})


def test_the_user_list_is_paginated_with_a_maximum_page_size(staff):
    UserFactory.create_batch(24)

    first = staff.get(reverse("api:user-list")).json()
    large = staff.get(reverse("api:user-list"), {"page_size": 1000}).json()
    second = staff.get(reverse("api:user-list"), {"page": 2}).json()

    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["next"].endswith("?page=2")
    assert len(large["results"]) == 25  # capped at 100, which is more than there are
    assert len(second["results"]) == 5
    assert staff.get(reverse("api:user-list"), {"page": 3}).status_code == 404


def test_the_user_list_filters_and_orders(staff):
    sales = Group.objects.create(name="sales")
    UserFactory(email="zoe@shop.example.com").groups.add(sales)
    UserFactory(email="amy@shop.example.com", is_active=False)
    UserFactory(email="bob@elsewhere.example.com")

    shop = staff.get(reverse("api:user-list"), {"email": "SHOP", "ordering": "-email"}).json()
    inactive = staff.get(reverse("api:user-list"), {"is_active": "false"}).json()

    assert [u["email"] for u in shop["results"]] == ["zoe@shop.example.com", "amy@shop.example.com"]
    assert shop["results"][0]["groups"] == ["sales"]
    assert [u["email"] for u in inactive["results"]] == ["amy@shop.example.com"]


@pytest.mark.parametrize("users", [1, 30])
def test_the_user_list_costs_the_same_queries_however_many_users(
    staff, django_assert_num_queries, users
):
    groups = [Group.objects.create(name=name) for name in ("sales", "support")]
    for user in UserFactory.create_batch(users):
        user.groups.set(groups)

    # The signed-in user, the count, one page of users, and their groups.
    with django_assert_num_queries(4):
        response = staff.get(reverse("api:user-list"))

    assert response.status_code == 200
    assert all(
        sorted(u["groups"]) == ["sales", "support"]
        for u in response.json()["results"]
        if u["email"] != "staff@example.com"
    )
