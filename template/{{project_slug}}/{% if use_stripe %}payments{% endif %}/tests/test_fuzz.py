"""A bounded fuzz of the webhook: random and truncated bodies and headers get 400, never a 500,
and nothing is stored. A fixed seed: a failure replays exactly."""

import json
import random
import string
import time

import pytest

from ..models import WebhookEvent
from . import stripe_objects as so
from .factories import PaymentFactory

pytestmark = pytest.mark.django_db

CASES = 300
HEADER_CHARACTERS = string.printable + "é,=ü\u2028"


def random_text(rng, length, alphabet=HEADER_CHARACTERS):
    return "".join(rng.choice(alphabet) for _ in range(length))


def mutations(rng, genuine, header):
    """(body, Stripe-Signature) pairs a forger, a broken proxy or a scanner might send."""
    timestamp = int(time.time())
    yield rng.randbytes(rng.randrange(0, 2000)), header
    yield genuine[: rng.randrange(0, len(genuine))], header
    yield genuine, header[: rng.randrange(0, len(header))]
    yield genuine, random_text(rng, rng.randrange(0, 200))
    yield genuine, f"t={timestamp},v1={random_text(rng, 64, string.hexdigits)}"
    yield genuine, f"t={random_text(rng, 12)},v1={header.rpartition('v1=')[2]}"
    yield genuine, f"t={timestamp},v0={header.rpartition('v1=')[2]},v1"
    yield genuine + rng.randbytes(rng.randrange(1, 50)), header
    yield rng.randbytes(rng.randrange(0, 300)), random_text(rng, rng.randrange(0, 300))


def test_random_and_truncated_requests_are_refused_with_400(client):
    rng = random.Random(20261201)  # noqa: S311 (reproducible test data, not secrets)
    payment = PaymentFactory()
    intent = so.payment_intent(id=payment.stripe_payment_intent_id, status="succeeded")
    genuine = json.dumps(so.event("payment_intent.succeeded", intent)).encode()
    header = so.signature(genuine.decode())

    statuses = []
    for _ in range(CASES // 9):
        for body, signature in mutations(rng, genuine, header):
            content_type = rng.choice(["application/json", "text/plain", "multipart/form-data"])
            response = client.post(
                so.WEBHOOK_URL,
                body,
                content_type=content_type,
                headers={"Stripe-Signature": signature},
            )
            statuses.append(response.status_code)

    assert set(statuses) == {400}
    assert len(statuses) >= CASES - 9
    assert not WebhookEvent.objects.exists()
