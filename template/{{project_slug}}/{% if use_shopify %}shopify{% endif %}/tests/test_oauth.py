"""The OAuth install: the shop validated, a one-time state, the callback's HMAC verified, the
code exchanged for an expiring offline token (faked at the HTTP boundary) and the webhooks
subscribed."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.db import connection
from django.utils import timezone

from ..models import OAuthState, Store
from ..services import WEBHOOK_TOPICS
from . import shopify_objects as so

pytestmark = pytest.mark.django_db

INSTALL, CALLBACK = "/shopify/install/", "/shopify/callback/"


def start_install(client, shop=so.SHOP):
    response = client.get(INSTALL, {"shop": shop})
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["state"][0]


def callback_query(state, *, shop=so.SHOP, code="an-authorization-code", secret=None):
    params = {"code": code, "shop": shop, "state": state, "timestamp": "1764892800", "host": "YQ"}
    return so.signed_query(params, secret)


def queue_install_answers(shopify_api):
    shopify_api.token(so.token_answer())
    shopify_api.graphql(*[so.webhook_subscribed() for _ in WEBHOOK_TOPICS])


def test_the_install_redirects_to_shopifys_authorization_page_with_a_stored_state(client, settings):
    response = client.get(INSTALL, {"shop": so.SHOP})

    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert (url.scheme, url.netloc, url.path) == ("https", so.SHOP, "/admin/oauth/authorize")
    query = parse_qs(url.query)
    assert query["client_id"] == [settings.SHOPIFY_API_KEY]
    assert query["scope"] == ["read_products"]
    assert query["redirect_uri"] == ["https://app.example.com/shopify/callback/"]
    assert OAuthState.objects.get(nonce=query["state"][0]).shop == so.SHOP


@pytest.mark.parametrize(
    "shop",
    [
        "",
        "example.com",
        "myshopify.com",
        ".myshopify.com",
        "-shop.myshopify.com",
        "Shop.myshopify.com",
        "shop.myshopify.com.evil.com",
        "evil.com/shop.myshopify.com",
        "https://shop.myshopify.com",
        "shop.myshopify.com:443",
        "shop.myshopify.com/admin",
        "sh op.myshopify.com",
        "shop.myshopify.com\n",
    ],
)
def test_the_install_refuses_anything_but_a_shop_domain(client, shop):
    response = client.get(INSTALL, {"shop": shop})

    assert response.status_code == 400
    assert "example.myshopify.com" in response.content.decode()
    assert not OAuthState.objects.exists()


def test_the_callback_stores_the_encrypted_token_and_subscribes_the_webhooks(
    client, shopify_api, settings
):
    state = start_install(client)
    queue_install_answers(shopify_api)

    response = client.get(CALLBACK, callback_query(state))

    assert response.status_code == 200
    assert so.SHOP in response.content.decode()
    store = Store.objects.get(shop=so.SHOP)
    assert store.access_token == "shpat_new-access-token"
    assert store.refresh_token == "shprt_new-refresh-token"
    assert store.scopes == "read_products"
    assert store.access_token_expires_at > timezone.now()
    assert store.connection == Store.Connection.OAUTH
    # At rest, the tokens are Fernet tokens, not the tokens themselves.
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM shopify_store")
        raw = cursor.fetchone()
    assert "shpat_new-access-token" not in raw[0]
    assert "shprt_new-refresh-token" not in raw[1]
    (exchange,) = shopify_api.sent("token")
    assert exchange["url"] == f"https://{so.SHOP}/admin/oauth/access_token"
    assert exchange["json"] == {
        "client_id": settings.SHOPIFY_API_KEY,
        "client_secret": settings.SHOPIFY_API_SECRET,
        "code": "an-authorization-code",
        "expiring": 1,
    }
    subscriptions = shopify_api.sent("graphql")
    assert [sent["json"]["variables"]["topic"] for sent in subscriptions] == list(WEBHOOK_TOPICS)
    assert {sent["json"]["variables"]["uri"] for sent in subscriptions} == {
        "https://app.example.com/shopify/webhooks/"
    }
    assert subscriptions[0]["url"].endswith(f"/{settings.SHOPIFY_API_VERSION}/graphql.json")
    assert subscriptions[0]["headers"]["x-shopify-access-token"] == "shpat_new-access-token"
    assert not OAuthState.objects.exists()


def tampered(query):
    return {**query, "code": "another-code"}


def without_hmac(query):
    return {key: value for key, value in query.items() if key != "hmac"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (tampered, "hmac does not match"),
        (without_hmac, "no hmac"),
        (lambda query: {**query, "hmac": "0" * 64}, "hmac does not match"),
        (lambda query: {**query, "hmac": "not hex at all \u00e9"}, "hmac does not match"),
    ],
)
def test_a_query_shopify_did_not_sign_is_refused_and_nothing_is_stored(
    client, shopify_api, change, message
):
    state = start_install(client)

    response = client.get(CALLBACK, change(callback_query(state)))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Store.objects.exists()
    assert shopify_api.requests == []


def test_a_query_signed_with_another_secret_is_refused(client, shopify_api):
    state = start_install(client)

    response = client.get(CALLBACK, callback_query(state, secret="another-apps-secret"))

    assert response.status_code == 400
    assert not Store.objects.exists()
    assert shopify_api.requests == []


def test_a_wrong_state_is_refused(client, shopify_api):
    start_install(client)

    response = client.get(CALLBACK, callback_query("a-state-never-issued"))

    assert response.status_code == 400
    assert "state" in response.content.decode()
    assert not Store.objects.exists()


def test_a_replayed_state_is_refused(client, shopify_api):
    state = start_install(client)
    queue_install_answers(shopify_api)
    assert client.get(CALLBACK, callback_query(state)).status_code == 200

    replay = client.get(CALLBACK, callback_query(state, code="a-second-code"))

    assert replay.status_code == 400
    assert "already used" in replay.content.decode()
    assert len(shopify_api.sent("token")) == 1


def test_a_state_issued_for_another_shop_is_refused(client, shopify_api):
    state = start_install(client, shop="other-shop.myshopify.com")

    response = client.get(CALLBACK, callback_query(state))

    assert response.status_code == 400
    assert "another shop" in response.content.decode()
    assert shopify_api.requests == []


def test_an_old_state_is_refused(client, shopify_api):
    state = start_install(client)
    OAuthState.objects.update(created_at=timezone.now() - timedelta(hours=1))

    response = client.get(CALLBACK, callback_query(state))

    assert response.status_code == 400
    assert shopify_api.requests == []


def test_a_bad_shop_in_a_signed_callback_is_refused(client):
    response = client.get(CALLBACK, callback_query("state", shop="evil.example.com"))

    assert response.status_code == 400


def test_a_code_shopify_refuses_is_a_400_and_stores_nothing(client, shopify_api):
    state = start_install(client)
    shopify_api.token(so.response(400, {"error": "invalid_request"}))

    response = client.get(CALLBACK, callback_query(state))

    assert response.status_code == 400
    assert "refused the authorization code" in response.content.decode()
    assert not Store.objects.exists()


def test_shopify_unreachable_during_the_exchange_is_a_502(client, shopify_api):
    state = start_install(client)
    shopify_api.token(httpx.ConnectError("connection refused"))

    response = client.get(CALLBACK, callback_query(state))

    assert response.status_code == 502
    assert not Store.objects.exists()


def test_a_reinstall_brings_an_uninstalled_store_back(client, shopify_api):
    Store.objects.create(shop=so.SHOP, uninstalled_at=timezone.now())
    state = start_install(client)
    queue_install_answers(shopify_api)

    client.get(CALLBACK, callback_query(state))

    store = Store.objects.get(shop=so.SHOP)
    assert store.is_active
    assert store.uninstalled_at is None


def test_without_an_api_key_the_install_is_unavailable(client, settings):
    settings.SHOPIFY_API_KEY = ""

    assert client.get(INSTALL, {"shop": so.SHOP}).status_code == 503


def test_without_a_secret_no_callback_is_accepted(client, settings, shopify_api):
    state = start_install(client)
    settings.SHOPIFY_API_SECRET = ""

    response = client.get(CALLBACK, {**callback_query(state, secret="")})

    assert response.status_code == 400
    assert shopify_api.requests == []
