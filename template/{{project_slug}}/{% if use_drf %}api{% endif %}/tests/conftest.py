import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from ...users.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def private_cache(settings):
    """Each test starts with no request history: throttles count in a cache of their own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "api-tests",
        }
    }
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def user(db):
    """A verified user who signs in with DEFAULT_PASSWORD."""
    return UserFactory(email_verified=True)


@pytest.fixture
def signed_in(api, user):
    """The API client, sending `user`'s access token."""
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return api
