import pytest
import responses
import stripe

from ...users.tests.factories import UserFactory
from ..models import Customer
from . import stripe_objects


@pytest.fixture(autouse=True)
def stripe_api():
    """Stripe's API, faked at the HTTP boundary: a test adds the answers it expects, and any
    other request fails (nothing reaches the network)."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as api:
        yield api


@pytest.fixture(autouse=True)
def no_retry_delay(monkeypatch):
    """The SDK's retries, without waiting between them."""
    monkeypatch.setattr(stripe.HTTPClient, "INITIAL_DELAY", 0)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def customer(user):
    """`user`, once a Stripe customer."""
    return Customer.objects.create(user=user, stripe_id=stripe_objects.stripe_id("cus"))


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client
