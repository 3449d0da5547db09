"""Reads of users: by address in any case, the list with its groups, the second factor."""

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import selectors
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_is_found_by_address_in_any_case():
    user = UserFactory(email="ada@example.com")

    assert selectors.user_get_by_email(email=" ADA@Example.com ") == user
    assert selectors.user_get_by_email(email="grace@example.com") is None


@pytest.mark.parametrize("users", [1, 30])
def test_the_user_list_costs_two_queries_however_many_users(django_assert_num_queries, users):
    sales = Group.objects.create(name="sales")
    for user in UserFactory.create_batch(users):
        user.groups.add(sales)

    with django_assert_num_queries(2):
        listed = list(selectors.user_list())

    assert [user.email for user in listed] == sorted(user.email for user in listed)
    assert all([group.name for group in user.groups.all()] == ["sales"] for user in listed)


def test_only_a_confirmed_device_is_a_second_factor():
    user = UserFactory()
    assert not selectors.user_has_second_factor(user=user)

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=False)
    assert not selectors.user_has_second_factor(user=user)

    device.confirmed = True
    device.save()
    assert selectors.user_has_second_factor(user=user)
