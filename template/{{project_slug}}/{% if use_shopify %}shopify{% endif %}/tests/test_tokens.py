"""Tokens: encrypted at rest with rotating keys, refreshed when they expire (or when Shopify
answers 401, then the request is retried once), and an admin-entered token tested first."""

from datetime import timedelta

import httpx
import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from ..client import AccessTokenInvalid, ShopifyError
from ..models import Store
from ..services import store_graphql, store_token_refresh
from . import shopify_objects as so
from .factories import StoreFactory

pytestmark = pytest.mark.django_db

SHOP_QUERY = "{ shop { name } }"


def raw_token(store):
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token FROM shopify_store WHERE id = %s", [store.pk])
        return cursor.fetchone()[0]


def test_tokens_are_encrypted_at_rest_and_keys_rotate(settings):
    store = StoreFactory(access_token="shpat_secret-token")
    old_key = settings.SHOPIFY_TOKEN_ENCRYPTION_KEYS[0]
    assert "shpat_secret-token" not in raw_token(store)
    assert Fernet(old_key).decrypt(raw_token(store).encode()) == b"shpat_secret-token"

    settings.SHOPIFY_TOKEN_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    store = Store.objects.get(pk=store.pk)
    assert store.access_token == "shpat_secret-token"
    store.save()

    settings.SHOPIFY_TOKEN_ENCRYPTION_KEYS = settings.SHOPIFY_TOKEN_ENCRYPTION_KEYS[:1]
    assert Store.objects.get(pk=store.pk).access_token == "shpat_secret-token"


def test_a_token_no_key_decrypts_is_an_error_that_names_the_setting(settings):
    store = StoreFactory()
    settings.SHOPIFY_TOKEN_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(ImproperlyConfigured, match="SHOPIFY_TOKEN_ENCRYPTION_KEYS"):
        Store.objects.get(pk=store.pk)


@pytest.mark.parametrize("keys", [[], ["not-a-fernet-key"]])
def test_without_a_usable_key_no_token_is_saved(settings, keys):
    settings.SHOPIFY_TOKEN_ENCRYPTION_KEYS = keys

    with pytest.raises(ImproperlyConfigured, match="SHOPIFY_TOKEN_ENCRYPTION_KEYS"):
        StoreFactory()


def test_a_401_refreshes_the_token_once_and_retries(store, shopify_api, settings):
    shopify_api.graphql(so.response(401, {"errors": "[API] Invalid API key or access token"}))
    shopify_api.token(so.token_answer(token="shpat_refreshed", refresh="shprt_refreshed"))
    shopify_api.graphql(so.graphql({"shop": {"name": "Shipyard Demo"}}))
    old_refresh_token = store.refresh_token

    data = store_graphql(store=store, query=SHOP_QUERY)

    assert data == {"shop": {"name": "Shipyard Demo"}}
    (refresh,) = shopify_api.sent("token")
    assert refresh["json"] == {
        "client_id": settings.SHOPIFY_API_KEY,
        "client_secret": settings.SHOPIFY_API_SECRET,
        "grant_type": "refresh_token",
        "refresh_token": old_refresh_token,
    }
    retried = shopify_api.sent("graphql")[-1]
    assert retried["headers"]["x-shopify-access-token"] == "shpat_refreshed"
    store = Store.objects.get(pk=store.pk)
    assert (store.access_token, store.refresh_token) == ("shpat_refreshed", "shprt_refreshed")
    assert store.access_token_expires_at > timezone.now()


def test_a_token_about_to_expire_is_refreshed_before_it_is_used(store, shopify_api):
    store.access_token_expires_at = timezone.now() + timedelta(seconds=10)
    store.save()
    shopify_api.token(so.token_answer(token="shpat_refreshed"))
    shopify_api.graphql(so.graphql({"shop": {"name": "Shipyard Demo"}}))

    store_graphql(store=store, query=SHOP_QUERY)

    assert shopify_api.sent("graphql")[0]["headers"]["x-shopify-access-token"] == "shpat_refreshed"


def test_a_second_401_after_the_refresh_is_an_error(store, shopify_api):
    shopify_api.graphql(so.response(401), so.response(401))
    shopify_api.token(so.token_answer())

    with pytest.raises(AccessTokenInvalid):
        store_graphql(store=store, query=SHOP_QUERY)
    assert len(shopify_api.sent("token")) == 1


def test_a_refused_refresh_asks_for_a_reinstall(store, shopify_api):
    shopify_api.token(so.response(400, {"error": "invalid_grant"}))

    with pytest.raises(AccessTokenInvalid, match="reinstall"):
        store_token_refresh(store=store)


def test_shopify_unreachable_during_a_refresh_is_not_a_revoked_token(store, shopify_api):
    shopify_api.token(httpx.ConnectError("connection refused"))

    with pytest.raises(ShopifyError) as raised:
        store_token_refresh(store=store)
    assert not isinstance(raised.value, AccessTokenInvalid)
    assert Store.objects.get(pk=store.pk).access_token == store.access_token


def test_a_token_without_a_refresh_token_is_not_refreshed(shopify_api):
    store = StoreFactory(refresh_token="", access_token_expires_at=None)
    shopify_api.graphql(so.response(401))

    with pytest.raises(AccessTokenInvalid):
        store_graphql(store=store, query=SHOP_QUERY)
    assert shopify_api.sent("token") == []


def test_an_uninstalled_store_is_not_queried(shopify_api):
    store = StoreFactory(access_token="", uninstalled_at=timezone.now())

    with pytest.raises(AccessTokenInvalid, match="not connected"):
        store_graphql(store=store, query=SHOP_QUERY)
    assert shopify_api.requests == []


def test_an_admin_connects_a_store_by_a_tested_token(admin_client, shopify_api, settings):
    shopify_api.graphql(so.connection_test_answer(scopes=("read_products", "read_inventory")))

    response = admin_client.post(
        f"/{settings.ADMIN_URL}shopify/store/add/",
        {"shop": so.SHOP, "access_token": "shpat_custom-app-token"},
    )

    assert response.status_code == 302
    store = Store.objects.get(shop=so.SHOP)
    assert store.access_token == "shpat_custom-app-token"
    assert (store.name, store.scopes) == ("Shipyard Demo", "read_products,read_inventory")
    assert store.connection == Store.Connection.ADMIN_TOKEN
    (test,) = shopify_api.sent("graphql")
    assert "shop { name }" in test["json"]["query"]
    assert test["headers"]["x-shopify-access-token"] == "shpat_custom-app-token"
    # The token is never displayed again.
    page = admin_client.get(f"/{settings.ADMIN_URL}shopify/store/{store.pk}/change/")
    assert page.status_code == 200
    assert "shpat_custom-app-token" not in page.content.decode()


def test_a_token_that_fails_the_test_is_not_saved(admin_client, shopify_api, settings):
    shopify_api.graphql(so.response(401))

    response = admin_client.post(
        f"/{settings.ADMIN_URL}shopify/store/add/",
        {"shop": so.SHOP, "access_token": "shpat_wrong"},
    )

    assert response.status_code == 200
    assert "The connection test failed" in response.content.decode()
    assert not Store.objects.exists()


def test_the_admin_refuses_a_shop_that_is_not_a_shop_domain(admin_client, shopify_api, settings):
    response = admin_client.post(
        f"/{settings.ADMIN_URL}shopify/store/add/",
        {"shop": "evil.example.com", "access_token": "shpat_token"},
    )

    assert response.status_code == 200
    assert "example.myshopify.com" in response.content.decode()
    assert shopify_api.requests == []
    assert not Store.objects.exists()
