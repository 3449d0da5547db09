"""Checkouts, the portal and PaymentIntents, with Stripe's HTTP faked: what the SDK sent
(amounts, currency, customer, metadata, idempotency keys) and what was stored."""

import pytest
import stripe

from .. import services
from ..client import PaymentsNotConfigured
from ..models import Customer, Payment
from . import stripe_objects as so

pytestmark = pytest.mark.django_db

SUCCESS = "https://shop.example.com/payments/checkout/success/?session_id={CHECKOUT_SESSION_ID}"
CANCEL = "https://shop.example.com/payments/checkout/cancel/"


def start_payment(user):
    return services.checkout_payment_start(
        user=user,
        amount=2000,
        currency="usd",
        description="One-time purchase",
        success_url=SUCCESS,
        cancel_url=CANCEL,
    )


def fake_customer(stripe_api, user):
    remote = so.customer(email=user.email, user_id=str(user.pk))
    stripe_api.post(f"{so.API}/v1/customers", json=remote)
    return remote["id"]


def fake_session(stripe_api, customer_id, **fields):
    session = so.checkout_session(customer_id=customer_id, **fields)
    stripe_api.post(f"{so.API}/v1/checkout/sessions", json=session)
    return session


def test_a_customer_is_created_once_on_first_use(user, stripe_api, settings):
    customer_id = fake_customer(stripe_api, user)

    first = services.customer_get_or_create(user=user)
    again = services.customer_get_or_create(user=user)

    assert first == again == customer_id
    (call,) = stripe_api.calls
    sent = so.sent_form(call)
    assert sent == {"email": user.email, "metadata[user_id]": str(user.pk)}
    stored = Customer.objects.get(user=user)
    assert stored.stripe_id == customer_id
    assert call.request.headers["Idempotency-Key"] == f"customer-{stored.key}"
    assert call.request.headers["Stripe-Version"] == settings.STRIPE_API_VERSION


def test_a_payment_checkout_sends_the_amount_customer_metadata_and_a_fixed_key(user, stripe_api):
    customer_id = fake_customer(stripe_api, user)
    session = fake_session(stripe_api, customer_id)

    payment, url = start_payment(user)

    assert url == session["url"]
    assert payment.status == Payment.Status.PENDING
    assert payment.stripe_checkout_session_id == session["id"]
    call = stripe_api.calls[1]
    assert call.request.headers["Idempotency-Key"] == f"checkout-{payment.key}"
    assert so.sent_form(call) == {
        "mode": "payment",
        "customer": customer_id,
        "client_reference_id": str(user.pk),
        "line_items[0][quantity]": "1",
        "line_items[0][price_data][currency]": "usd",
        "line_items[0][price_data][unit_amount]": "2000",
        "line_items[0][price_data][product_data][name]": "One-time purchase",
        "metadata[payment]": str(payment.key),
        "payment_intent_data[metadata][payment]": str(payment.key),
        "success_url": SUCCESS,
        "cancel_url": CANCEL,
    }


def test_a_retried_request_carries_the_same_idempotency_key(customer, stripe_api):
    url = f"{so.API}/v1/checkout/sessions"
    stripe_api.post(url, status=500, json={"error": {"type": "api_error"}})
    fake_session(stripe_api, customer.stripe_id)

    payment, _ = start_payment(customer.user)

    first, retry = (call.request.headers["Idempotency-Key"] for call in stripe_api.calls)
    assert first == retry == f"checkout-{payment.key}"


def test_a_failed_checkout_leaves_no_payment_behind_and_keeps_the_new_customer(user, stripe_api):
    customer_id = fake_customer(stripe_api, user)
    error = {"error": {"type": "invalid_request_error", "message": "No such price"}}
    stripe_api.post(f"{so.API}/v1/checkout/sessions", status=400, json=error)

    with pytest.raises(stripe.InvalidRequestError):
        start_payment(user)

    assert not Payment.objects.exists()
    # The next attempt uses this customer instead of creating another one in Stripe.
    assert Customer.objects.get(user=user).stripe_id == customer_id


def test_a_subscription_checkout_sells_the_price_in_subscription_mode(customer, stripe_api):
    session = fake_session(stripe_api, customer.stripe_id, mode="subscription")

    url = services.checkout_subscription_start(
        user=customer.user, price_id="price_test_monthly", success_url=SUCCESS, cancel_url=CANCEL
    )

    assert url == session["url"]
    (call,) = stripe_api.calls
    sent = so.sent_form(call)
    assert sent["mode"] == "subscription"
    assert sent["customer"] == customer.stripe_id
    assert sent["line_items[0][price]"] == "price_test_monthly"
    assert sent["subscription_data[metadata][user_id]"] == str(customer.user.pk)
    assert call.request.headers["Idempotency-Key"].startswith("checkout-subscription-")


def test_each_portal_visit_is_a_new_portal_session(customer, stripe_api):
    for number in (1, 2):
        portal = {"id": f"bps_{number}", "object": "billing_portal.session", "url": f"/{number}"}
        stripe_api.post(f"{so.API}/v1/billing_portal/sessions", json=portal)

    first = services.billing_portal_start(user=customer.user, return_url=CANCEL)
    second = services.billing_portal_start(user=customer.user, return_url=CANCEL)

    assert (first, second) == ("/1", "/2")
    keys = {call.request.headers["Idempotency-Key"] for call in stripe_api.calls}
    assert len(keys) == 2
    assert so.sent_form(stripe_api.calls[0]) == {
        "customer": customer.stripe_id,
        "return_url": CANCEL,
    }


def test_a_payment_intent_sends_the_amount_customer_metadata_and_a_fixed_key(customer, stripe_api):
    intent = so.payment_intent(customer_id=customer.stripe_id, amount=1500)
    stripe_api.post(f"{so.API}/v1/payment_intents", json=intent)

    payment, client_secret = services.payment_intent_start(
        user=customer.user, amount=1500, currency="eur", description="Top-up"
    )

    assert client_secret == intent["client_secret"]
    assert payment.stripe_payment_intent_id == intent["id"]
    (call,) = stripe_api.calls
    assert call.request.headers["Idempotency-Key"] == f"payment-intent-{payment.key}"
    assert so.sent_form(call) == {
        "amount": "1500",
        "currency": "eur",
        "customer": customer.stripe_id,
        "description": "Top-up",
        "metadata[payment]": str(payment.key),
        "automatic_payment_methods[enabled]": "true",
    }


def test_nothing_is_sent_without_a_secret_key(user, settings):
    settings.STRIPE_SECRET_KEY = ""

    with pytest.raises(PaymentsNotConfigured):
        services.customer_get_or_create(user=user)
