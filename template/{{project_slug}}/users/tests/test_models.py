import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError

from .factories import DEFAULT_PASSWORD, UserFactory

User = get_user_model()

pytestmark = pytest.mark.django_db


def test_create_user_stores_a_normalised_email_and_a_hashed_password():
    user = User.objects.create_user(email="  Ada@Example.COM ", password="s3cret-passphrase")

    assert user.email == "ada@example.com"
    assert user.password != "s3cret-passphrase"
    assert user.check_password("s3cret-passphrase")
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.email_verified
    assert str(user) == "ada@example.com"


def test_create_user_requires_an_email():
    with pytest.raises(ValueError, match="email address"):
        User.objects.create_user(email="", password="irrelevant-password")


def test_create_superuser_sets_staff_and_superuser_flags():
    admin = User.objects.create_superuser(email="root@example.com", password="irrelevant-password")

    assert admin.is_staff
    assert admin.is_superuser
    assert admin.email_verified


def test_create_superuser_refuses_to_drop_its_flags():
    with pytest.raises(ValueError, match="is_staff=True"):
        User.objects.create_superuser(email="root@example.com", password="pw", is_staff=False)


def test_email_is_unique_whatever_its_case():
    UserFactory(email="grace@example.com")

    with pytest.raises(IntegrityError):
        User.objects.create(email="GRACE@example.com")


def test_case_insensitive_uniqueness_is_enforced_by_the_database():
    UserFactory(email="grace@example.com")
    # A queryset update bypasses save(), so only the database constraint can refuse it.
    other = UserFactory(email="other@example.com")

    with pytest.raises(IntegrityError):
        User.objects.filter(pk=other.pk).update(email="Grace@Example.com")


def test_sign_in_with_any_case_of_the_email(rf):
    user = UserFactory(email="linus@example.com")
    request = rf.post("/")

    assert authenticate(request, email="LINUS@Example.com", password=DEFAULT_PASSWORD) == user
    assert authenticate(request, email="linus@example.com", password="wrong-password") is None


def test_clean_normalises_the_email():
    user = User(email=" Mixed@Case.Example ")
    user.clean()

    assert user.email == "mixed@case.example"
