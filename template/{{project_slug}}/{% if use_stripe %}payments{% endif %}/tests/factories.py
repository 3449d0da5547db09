"""Test data for payments."""

import factory

from ...users.tests.factories import UserFactory
from ..models import Payment
from .stripe_objects import stripe_id


class PaymentFactory(factory.django.DjangoModelFactory):
    """A pending payment of 20.00 USD, started with a Checkout session."""

    class Meta:
        model = Payment

    user = factory.SubFactory(UserFactory)
    amount = 2000
    currency = "usd"
    description = "One-time purchase"
    stripe_checkout_session_id = factory.LazyFunction(lambda: stripe_id("cs"))
    stripe_payment_intent_id = factory.LazyFunction(lambda: stripe_id("pi"))
