"""Test data for Shopify."""

from datetime import timedelta

import factory
from django.utils import timezone

from ..models import Store


class StoreFactory(factory.django.DjangoModelFactory):
    """A store installed by OAuth, with an expiring token valid for another hour."""

    class Meta:
        model = Store

    shop = factory.Sequence(lambda n: f"shop-{n}.myshopify.com")
    name = factory.Sequence(lambda n: f"Shop {n}")
    access_token = factory.Sequence(lambda n: f"shpat_token-{n}")
    refresh_token = factory.Sequence(lambda n: f"shprt_token-{n}")
    scopes = "read_products"
    access_token_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    refresh_token_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=90))
