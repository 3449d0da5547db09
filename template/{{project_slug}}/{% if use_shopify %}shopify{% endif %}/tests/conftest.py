import httpx
import pytest
from django.conf import settings

from .. import client as shopify_client
from .factories import StoreFactory
from .shopify_objects import SHOP, FakeShopify, post_webhook


@pytest.fixture(autouse=True)
def shopify_api(monkeypatch):
    """Shopify's API, faked at the HTTP boundary: shopifyapp and the app's own requests go
    through this transport, a test queues the answers it expects, and any other request fails."""
    fake = FakeShopify()
    connect, read = settings.SHOPIFY_TIMEOUT

    def http_client():
        return httpx.Client(
            transport=httpx.MockTransport(fake), timeout=httpx.Timeout(read, connect=connect)
        )

    monkeypatch.setattr(shopify_client, "http_client", http_client)
    return fake


@pytest.fixture
def waits():
    """An injectable sleep that records each wait instead of waiting."""
    return []


@pytest.fixture(autouse=True)
def no_real_waits(monkeypatch, waits):
    """The throttle's and the retries' waits, recorded instead of waited for."""
    monkeypatch.setattr(shopify_client, "pause", waits.append)


@pytest.fixture
def store(db):
    return StoreFactory(shop=SHOP)


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    """Post a signed webhook and run what its transaction left for after the commit."""

    def deliver(topic, payload, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return post_webhook(client, topic, payload, **options)

    return deliver
