"""Webhooks: the raw body's HMAC verified before anything is parsed, each delivery stored once,
and every topic the app subscribes to (and the privacy topics) acted on."""

import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ..models import Product, ProductVariant, Store, SyncRun, WebhookDelivery
from . import shopify_objects as so
from .factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_a_product_webhook_stores_the_product_and_its_variants_once(store, deliver):
    response = deliver("products/create", so.product_webhook(7))

    assert response.status_code == 200
    product = Product.objects.get(shopify_id="gid://shopify/Product/7")
    assert (product.store, product.title, product.status) == (store, "Product 7", "ACTIVE")
    assert sorted(product.variants.values_list("sku", flat=True)) == ["SKU-7-0", "SKU-7-1"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.topic, delivery.shop) == ("products/create", so.SHOP)
    assert delivery.processed_at is not None


def test_a_replayed_delivery_changes_nothing(store, deliver):
    deliver("products/create", so.product_webhook(7), webhook_id="wh-once")

    replay = deliver(
        "products/update", so.product_webhook(7, title="Changed"), webhook_id="wh-once"
    )

    assert replay.status_code == 200
    assert Product.objects.get().title == "Product 7"
    assert WebhookDelivery.objects.count() == 1


def test_an_update_changes_the_product_and_drops_variants_no_longer_listed(store, deliver):
    deliver("products/create", so.product_webhook(7, variants=3))

    deliver("products/update", so.product_webhook(7, title="Renamed", variants=1))

    product = Product.objects.get()
    assert product.title == "Renamed"
    assert list(product.variants.values_list("sku", flat=True)) == ["SKU-7-0"]


def test_a_delete_removes_the_product_and_its_variants(store, deliver):
    deliver("products/create", so.product_webhook(7))

    deliver("products/delete", {"id": 7})

    assert not Product.objects.exists()
    assert not ProductVariant.objects.exists()


def test_a_product_webhook_of_an_unknown_shop_is_recorded_and_changes_nothing(deliver):
    response = deliver("products/create", so.product_webhook(7), shop="unknown.myshopify.com")

    assert response.status_code == 200
    assert not Product.objects.exists()
    assert WebhookDelivery.objects.get().processed_at is not None


def test_uninstalling_revokes_the_token(store, deliver):
    response = deliver("app/uninstalled", {"id": 1, "domain": so.SHOP})

    assert response.status_code == 200
    store.refresh_from_db()
    assert store.access_token == ""
    assert store.refresh_token == ""
    assert store.uninstalled_at is not None
    assert not store.is_active


@pytest.mark.parametrize("topic", ["customers/data_request", "customers/redact"])
def test_customer_privacy_webhooks_are_answered_and_recorded(store, deliver, topic):
    payload = {
        "shop_id": 1,
        "shop_domain": so.SHOP,
        "customer": {"id": 191167, "email": "john@example.com", "phone": "555-625-1199"},
        "orders_requested": [299938],
    }

    response = deliver(topic, payload)

    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get(topic=topic)
    assert delivery.processed_at is not None
    assert Store.objects.filter(pk=store.pk).exists()


def test_shop_redact_erases_everything_kept_about_the_shop(store, deliver):
    other = StoreFactory()
    deliver("products/create", so.product_webhook(7))
    deliver("products/create", so.product_webhook(8), shop=other.shop)
    SyncRun.objects.create(store=store)

    response = deliver("shop/redact", {"shop_id": 1, "shop_domain": so.SHOP})

    assert response.status_code == 200
    assert not Store.objects.filter(shop=so.SHOP).exists()
    assert list(Product.objects.values_list("store", flat=True)) == [other.pk]
    assert not SyncRun.objects.exists()
    # What stays of the shop: the record that it asked to be erased.
    assert list(WebhookDelivery.objects.filter(shop=so.SHOP).values_list("topic", flat=True)) == [
        "shop/redact"
    ]


def test_an_unknown_topic_is_acknowledged_and_not_stored(store, deliver):
    response = deliver("orders/create", {"id": 1})

    assert response.status_code == 200
    assert not WebhookDelivery.objects.exists()


def signed(client, body, **changes):
    headers = {**so.webhook_headers("products/create", body), **changes}
    headers = {name: value for name, value in headers.items() if value is not None}
    return client.post(so.WEBHOOK_URL, body, content_type="application/json", **headers)


BODY = json.dumps(so.product_webhook(7)).encode()


@pytest.mark.parametrize(
    "post",
    [
        pytest.param(
            lambda client: signed(client, BODY, HTTP_X_SHOPIFY_HMAC_SHA256=None), id="missing"
        ),
        pytest.param(
            lambda client: signed(
                client,
                BODY,
                HTTP_X_SHOPIFY_HMAC_SHA256=so.webhook_signature(BODY, "another-apps-secret"),
            ),
            id="wrong-secret",
        ),
        pytest.param(
            lambda client: client.post(
                so.WEBHOOK_URL,
                BODY.replace(b"Product 7", b"Product 8"),
                content_type="application/json",
                **so.webhook_headers("products/create", BODY),
            ),
            id="tampered",
        ),
        pytest.param(
            lambda client: signed(client, BODY, HTTP_X_SHOPIFY_HMAC_SHA256="not base64"),
            id="garbage",
        ),
    ],
)
def test_a_webhook_shopify_did_not_sign_is_refused_with_401_and_nothing_stored(client, store, post):
    response = post(client)

    assert response.status_code == 401
    assert not WebhookDelivery.objects.exists()
    assert not Product.objects.exists()


@pytest.mark.parametrize("topic", ["customers/data_request", "customers/redact", "shop/redact"])
def test_a_privacy_webhook_with_a_bad_hmac_is_refused_with_401(client, store, topic):
    body = json.dumps({"shop_id": 1, "shop_domain": so.SHOP}).encode()
    headers = so.webhook_headers(topic, body, secret="another-apps-secret")

    response = client.post(so.WEBHOOK_URL, body, content_type="application/json", **headers)

    assert response.status_code == 401
    assert Store.objects.filter(pk=store.pk).exists()
    assert not WebhookDelivery.objects.exists()


def test_without_a_secret_every_webhook_is_refused(client, store, settings):
    settings.SHOPIFY_API_SECRET = ""

    response = so.post_webhook(client, "products/create", so.product_webhook(7), secret="")

    assert response.status_code == 401
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"HTTP_X_SHOPIFY_WEBHOOK_ID": None},
        {"HTTP_X_SHOPIFY_SHOP_DOMAIN": None},
        {"HTTP_X_SHOPIFY_SHOP_DOMAIN": "evil.example.com"},
    ],
)
def test_a_signed_webhook_without_its_headers_is_a_400(client, store, changes):
    assert signed(client, BODY, **changes).status_code == 400
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"\xff\xfe"])
def test_a_signed_body_that_is_not_a_json_object_is_refused(client, store, body):
    assert signed(client, body).status_code in (400, 401)
    assert not WebhookDelivery.objects.exists()


def test_a_body_over_the_upload_limit_is_a_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    response = signed(client, json.dumps(so.product_webhook(7, variants=10)).encode())

    assert response.status_code == 413


def test_the_webhook_takes_only_post(client):
    assert client.get(so.WEBHOOK_URL).status_code == 405


def test_the_webhook_needs_no_csrf_token(store):
    response = so.post_webhook(Client(enforce_csrf_checks=True), "app/uninstalled", {"id": 1})

    assert response.status_code == 200


def views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_the_webhook_is_shopifys_only_csrf_exempt_page():
    exempt = {
        path
        for path, view in views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False) and path.startswith("shopify/")
    }

    assert exempt == {"shopify/webhooks/"}
