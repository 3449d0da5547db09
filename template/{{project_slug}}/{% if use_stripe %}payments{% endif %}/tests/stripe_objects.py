"""Stripe's side of the tests: objects shaped as the pinned API version sends them, webhook
events signed exactly as Stripe signs them, and the requests the SDK sent, decoded."""

import json
import secrets
import time
from urllib.parse import parse_qsl

import stripe
from django.conf import settings
from django.test import TestCase

API = "https://api.stripe.com"
WEBHOOK_URL = "/payments/stripe/webhook/"


def stripe_id(prefix):
    return f"{prefix}_test_{secrets.token_hex(8)}"


def customer(id=None, *, email="person@example.com", user_id="1"):
    return {
        "id": id or stripe_id("cus"),
        "object": "customer",
        "created": int(time.time()),
        "email": email,
        "livemode": False,
        "metadata": {"user_id": user_id},
    }


def checkout_session(
    *,
    mode="payment",
    customer_id,
    payment_key=None,
    subscription_id=None,
    payment_intent_id=None,
    payment_status="unpaid",
    id=None,
):
    session_id = id or stripe_id("cs")
    return {
        "id": session_id,
        "object": "checkout.session",
        "amount_total": 2000 if mode == "payment" else 900,
        "currency": "usd",
        "customer": customer_id,
        "livemode": False,
        "metadata": {"payment": payment_key} if payment_key else {},
        "mode": mode,
        "payment_intent": payment_intent_id,
        "payment_status": payment_status,
        "status": "complete" if payment_status == "paid" else "open",
        "subscription": subscription_id,
        "url": f"https://checkout.stripe.com/c/pay/{session_id}",
    }


def payment_intent(
    *, id=None, customer_id=None, payment_key=None, status="requires_payment_method", amount=2000
):
    intent_id = id or stripe_id("pi")
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if status == "succeeded" else 0,
        "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
        "currency": "usd",
        "customer": customer_id,
        "livemode": False,
        "metadata": {"payment": payment_key} if payment_key else {},
        "status": status,
    }


def charge(*, payment_intent_id, amount=2000, amount_refunded=2000):
    return {
        "id": stripe_id("ch"),
        "object": "charge",
        "amount": amount,
        "amount_refunded": amount_refunded,
        "currency": "usd",
        "livemode": False,
        "paid": True,
        "payment_intent": payment_intent_id,
        "refunded": amount_refunded >= amount,
        "status": "succeeded",
    }


def subscription(
    *,
    id,
    customer_id,
    status="active",
    price_id="price_test_shipyard",
    period_end=1_900_000_000,
    cancel_at_period_end=False,
):
    return {
        "id": id,
        "object": "subscription",
        "cancel_at_period_end": cancel_at_period_end,
        "customer": customer_id,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": stripe_id("si"),
                    "object": "subscription_item",
                    "current_period_end": period_end,
                    "current_period_start": period_end - 30 * 24 * 3600,
                    "price": {"id": price_id, "object": "price", "type": "recurring"},
                    "quantity": 1,
                }
            ],
            "has_more": False,
        },
        "livemode": False,
        "metadata": {},
        "status": status,
    }


def invoice(*, customer_id, subscription_id, status="paid"):
    return {
        "id": stripe_id("in"),
        "object": "invoice",
        "customer": customer_id,
        "livemode": False,
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"metadata": {}, "subscription": subscription_id},
        },
        "status": status,
    }


def event(type, data_object, *, id=None):
    return {
        "id": id or stripe_id("evt"),
        "object": "event",
        "api_version": settings.STRIPE_API_VERSION,
        "created": int(time.time()),
        "data": {"object": data_object},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type,
    }


def signature(payload, *, secret=None, timestamp=None):
    """The Stripe-Signature header Stripe would send with `payload`, by the SDK's own code."""
    secret = settings.STRIPE_WEBHOOK_SECRET if secret is None else secret
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)


def deliver(client, event_object, **signing):
    """POST `event_object` to the webhook as Stripe does: a JSON body and its signature."""
    payload = json.dumps(event_object)
    # What the webhook leaves for after its transaction commits runs too, as it would outside a
    # test (whose transaction never commits).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            WEBHOOK_URL,
            payload,
            content_type="application/json",
            headers={"Stripe-Signature": signature(payload, **signing)},
        )


def sent_form(call):
    """The form fields a faked request carried, as Stripe's API receives them."""
    return dict(parse_qsl(call.request.body))
