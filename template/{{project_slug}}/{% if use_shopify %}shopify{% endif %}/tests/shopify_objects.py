"""Shopify's side, for the tests: answers shaped as the pinned Admin API version sends them,
webhooks and OAuth queries signed as Shopify signs them, and the fake HTTP boundary itself."""

import base64
import hashlib
import hmac
import itertools
import json
import re

import httpx
from django.conf import settings

SHOP = "shipyard-demo.myshopify.com"
WEBHOOK_URL = "/shopify/webhooks/"
NEW_TOKEN, NEW_REFRESH_TOKEN = "shpat_new-access-token", "shprt_new-refresh-token"
_ids = itertools.count(1000)


def next_id():
    return next(_ids)


class FakeShopify:
    """Shopify's HTTP API, answering from queues a test fills: `graphql` answers for the Admin
    API's <version>/graphql.json, `token` answers for /admin/oauth/access_token. A request with
    no answer queued fails the test: nothing reaches the network."""

    GRAPHQL = re.compile(r"^/admin/[a-z]+/(?P<version>[0-9-]+)/graphql\.json$")

    def __init__(self):
        self.queues = {"graphql": [], "token": []}
        self.requests = []

    def graphql(self, *answers):
        self.queues["graphql"].extend(answers)

    def token(self, *answers):
        self.queues["token"].extend(answers)

    def sent(self, kind):
        return [request for request in self.requests if request["kind"] == kind]

    def __call__(self, request):
        path = request.url.path
        if self.GRAPHQL.match(path):
            kind = "graphql"
        elif path == "/admin/oauth/access_token":
            kind = "token"
        else:
            raise AssertionError(f"Unexpected request to Shopify: {request.method} {request.url}")
        self.requests.append(
            {
                "kind": kind,
                "url": str(request.url),
                "headers": dict(request.headers),
                "json": json.loads(request.content or b"null"),
            }
        )
        if not self.queues[kind]:
            raise AssertionError(f"No {kind} answer queued for {request.url}")
        answer = self.queues[kind].pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def response(status=200, body=None, headers=None):
    return httpx.Response(status, json=body, headers=headers)


def graphql(data, *, available=1980.0, restore_rate=100.0, requested=52):
    """A GraphQL answer with the throttle status Shopify reports in its extensions."""
    cost = {
        "requestedQueryCost": requested,
        "actualQueryCost": requested,
        "throttleStatus": {
            "maximumAvailable": 2000.0,
            "currentlyAvailable": available,
            "restoreRate": restore_rate,
        },
    }
    return response(body={"data": data, "extensions": {"cost": cost}})


def throttled(*, available=10.0, restore_rate=100.0, requested=52):
    """Shopify's throttled answer: HTTP 200 with a THROTTLED error and no data."""
    body = {
        "errors": [
            {
                "message": "Throttled",
                "extensions": {"code": "THROTTLED"},
            }
        ],
        "extensions": {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": None,
                "throttleStatus": {
                    "maximumAvailable": 2000.0,
                    "currentlyAvailable": available,
                    "restoreRate": restore_rate,
                },
            }
        },
    }
    return response(body=body)


def product_node(number, *, variants=2, title=None, updated_at="2026-11-20T10:00:00Z"):
    return {
        "id": f"gid://shopify/Product/{number}",
        "title": title or f"Product {number}",
        "handle": f"product-{number}",
        "status": "ACTIVE",
        "vendor": "Shipyard",
        "productType": "Widget",
        "updatedAt": updated_at,
        "variants": {
            "nodes": [
                {
                    "id": f"gid://shopify/ProductVariant/{number}{index}",
                    "title": f"Size {index}",
                    "sku": f"SKU-{number}-{index}",
                    "price": f"{10 + index}.99",
                }
                for index in range(variants)
            ]
        },
    }


def products_page(nodes, *, cursor, has_next, **throttle):
    data = {
        "products": {
            "pageInfo": {"hasNextPage": has_next, "endCursor": cursor},
            "nodes": nodes,
        }
    }
    return graphql(data, **throttle)


def connection_test_answer(name="Shipyard Demo", scopes=("read_products",)):
    return graphql(
        {
            "shop": {"name": name},
            "currentAppInstallation": {"accessScopes": [{"handle": scope} for scope in scopes]},
        }
    )


def webhook_subscribed():
    return graphql(
        {
            "webhookSubscriptionCreate": {
                "webhookSubscription": {"id": f"gid://shopify/WebhookSubscription/{next_id()}"},
                "userErrors": [],
            }
        }
    )


def token_answer(token=NEW_TOKEN, refresh=NEW_REFRESH_TOKEN):
    """The access_token endpoint's answer for an expiring offline token."""
    return response(
        body={
            "access_token": token,
            "scope": "read_products",
            "expires_in": 3600,
            "refresh_token": refresh,
            "refresh_token_expires_in": 7776000,
        }
    )


def product_webhook(number, *, title=None, variants=2):
    """A products/create or products/update payload (REST-shaped, as webhooks are)."""
    return {
        "id": number,
        "admin_graphql_api_id": f"gid://shopify/Product/{number}",
        "title": title or f"Product {number}",
        "handle": f"product-{number}",
        "status": "active",
        "vendor": "Shipyard",
        "product_type": "Widget",
        "updated_at": "2026-11-21T09:30:00-05:00",
        "variants": [
            {
                "id": int(f"{number}{index}"),
                "admin_graphql_api_id": f"gid://shopify/ProductVariant/{number}{index}",
                "title": f"Size {index}",
                "sku": f"SKU-{number}-{index}",
                "price": f"{10 + index}.99",
            }
            for index in range(variants)
        ],
    }


def webhook_signature(body, secret=None):
    secret = settings.SHOPIFY_API_SECRET if secret is None else secret
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_headers(topic, body, *, shop=SHOP, webhook_id=None, secret=None):
    return {
        "HTTP_X_SHOPIFY_TOPIC": topic,
        "HTTP_X_SHOPIFY_SHOP_DOMAIN": shop,
        "HTTP_X_SHOPIFY_WEBHOOK_ID": webhook_id or f"wh-{next_id()}",
        "HTTP_X_SHOPIFY_API_VERSION": settings.SHOPIFY_API_VERSION,
        "HTTP_X_SHOPIFY_HMAC_SHA256": webhook_signature(body, secret),
    }


def post_webhook(client, topic, payload, **options):
    body = json.dumps(payload).encode()
    return client.post(
        WEBHOOK_URL,
        body,
        content_type="application/json",
        **webhook_headers(topic, body, **options),
    )


def signed_query(params, secret=None):
    """An OAuth query as Shopify signs it: the hex HMAC-SHA256 of the sorted key=value pairs."""
    secret = settings.SHOPIFY_API_SECRET if secret is None else secret
    message = "&".join(f"{key}={value}" for key, value in sorted(params.items()))
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    return {**params, "hmac": digest}
