"""About 300 random, truncated and re-signed webhook bodies and headers (a fixed seed): every
one answered 2xx or 4xx, never a 500, and nothing stored unless Shopify's signature holds."""

import json
import random

import pytest

from ..models import WebhookDelivery
from . import shopify_objects as so

pytestmark = pytest.mark.django_db

TOPICS = ["products/create", "products/update", "products/delete", "app/uninstalled", "shop/redact"]


def bodies(rng):
    valid = json.dumps(so.product_webhook(7)).encode()
    yield from (valid[: rng.randrange(len(valid))] for _ in range(60))
    yield from (rng.randbytes(rng.randrange(1, 200)) for _ in range(60))
    yield from (
        json.dumps(
            rng.choice([[], 1, "x", None, {"id": "7"}, {"id": None, "variants": 3}])
        ).encode()
        for _ in range(30)
    )


def test_random_webhooks_are_refused_or_acknowledged_never_a_500(client, store):
    rng = random.Random(13)  # noqa: S311 (reproducible test data, not secrets)
    for body in bodies(rng):
        topic = rng.choice(TOPICS)
        headers = so.webhook_headers(topic, body)
        # Half of them unsigned or wrongly signed: those must be refused and leave nothing.
        forged = rng.random() < 0.5
        if forged:
            headers["HTTP_X_SHOPIFY_HMAC_SHA256"] = rng.choice(
                ["", "x" * rng.randrange(60), so.webhook_signature(body + b" ")]
            )
        if rng.random() < 0.2:
            headers.pop(rng.choice(sorted(headers)))
        before = WebhookDelivery.objects.count()

        response = client.post(so.WEBHOOK_URL, body, content_type="application/json", **headers)

        assert response.status_code < 500, (body, headers)
        if forged:
            assert response.status_code == 401
            assert WebhookDelivery.objects.count() == before
