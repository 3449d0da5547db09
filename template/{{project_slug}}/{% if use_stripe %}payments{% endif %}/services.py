"""Payments' writes: customers, checkouts, the Customer Portal, and what webhook events change.

Every create call to Stripe carries an idempotency key. A create that a row here stands for (a
customer, a payment) uses a key made from that row's UUID: repeating the call (a double click, a
retried request or task) returns what the first call created instead of making a second one.
The SDK sends the same key again on its own network retries.

Webhook events are verified before anything is parsed, stored once by their id, and processed
in the transaction that stores them. A payment only moves forward (Payment.PROGRESS);
subscriptions are re-read from Stripe while their customer's row is locked, so that events
arriving out of order leave what Stripe has now.
"""

import contextlib
import json
import logging
import uuid
from datetime import UTC, datetime
from functools import partial

import stripe
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .client import stripe_client
from .models import Customer, Payment, Subscription, WebhookEvent

logger = logging.getLogger(__name__)


def new_idempotency_key(purpose):
    """A key for a create that no row stands for (a Checkout or portal session): one per
    attempt, so that a second click starts a new session."""
    return f"{purpose}-{uuid.uuid4()}"


# --- Customers, checkouts, the portal ----------------------------------------------------------


def customer_get_or_create(*, user):
    """The Stripe customer id of `user`, creating the customer on first use."""
    customer, _ = Customer.objects.get_or_create(user=user)
    if customer.stripe_id:
        return customer.stripe_id
    created = stripe_client().v1.customers.create(
        params={"email": user.email, "metadata": {"user_id": str(user.pk)}},
        options={"idempotency_key": f"customer-{customer.key}"},
    )
    Customer.objects.filter(pk=customer.pk).update(stripe_id=created.id)
    return created.id


def checkout_payment_start(*, user, amount, currency, description, success_url, cancel_url):
    """A pending payment, and the URL of the Checkout page where the user pays it."""
    # Outside the transaction: a customer created in Stripe stays recorded (with its key) even
    # when the checkout fails, so that the next attempt reuses it.
    customer_id = customer_get_or_create(user=user)
    with transaction.atomic():
        payment = Payment.objects.create(
            user=user, amount=amount, currency=currency, description=description
        )
        metadata = {"payment": str(payment.key)}
        session = stripe_client().v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "customer": customer_id,
                "client_reference_id": str(user.pk),
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": currency,
                            "unit_amount": amount,
                            "product_data": {"name": description},
                        },
                    }
                ],
                "metadata": metadata,
                "payment_intent_data": {"metadata": metadata},
                "success_url": success_url,
                "cancel_url": cancel_url,
            },
            options={"idempotency_key": f"checkout-{payment.key}"},
        )
        payment.stripe_checkout_session_id = session.id
        payment.save(update_fields=["stripe_checkout_session_id", "updated_at"])
    return payment, session.url


def checkout_subscription_start(*, user, price_id, success_url, cancel_url):
    """The URL of the Checkout page where the user subscribes to `price_id`."""
    customer_id = customer_get_or_create(user=user)
    metadata = {"user_id": str(user.pk)}
    session = stripe_client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(user.pk),
            "line_items": [{"price": price_id, "quantity": 1}],
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
            "success_url": success_url,
            "cancel_url": cancel_url,
        },
        options={"idempotency_key": new_idempotency_key("checkout-subscription")},
    )
    return session.url


def billing_portal_start(*, user, return_url):
    """The URL of the Customer Portal, where the user manages cards, invoices and plans."""
    session = stripe_client().v1.billing_portal.sessions.create(
        params={"customer": customer_get_or_create(user=user), "return_url": return_url},
        options={"idempotency_key": new_idempotency_key("billing-portal")},
    )
    return session.url


def payment_intent_start(*, user, amount, currency, description):
    """A pending payment and the client secret of its PaymentIntent, for a custom front end
    that confirms the payment with Stripe.js."""
    customer_id = customer_get_or_create(user=user)  # kept even if what follows fails
    with transaction.atomic():
        payment = Payment.objects.create(
            user=user, amount=amount, currency=currency, description=description
        )
        intent = stripe_client().v1.payment_intents.create(
            params={
                "amount": amount,
                "currency": currency,
                "customer": customer_id,
                "description": description,
                "metadata": {"payment": str(payment.key)},
                "automatic_payment_methods": {"enabled": True},
            },
            options={"idempotency_key": f"payment-intent-{payment.key}"},
        )
        payment.stripe_payment_intent_id = intent.id
        payment.save(update_fields=["stripe_payment_intent_id", "updated_at"])
    return payment, intent.client_secret


# --- Webhook events ----------------------------------------------------------------------------


class WebhookRejected(Exception):
    """Not a genuine, recent Stripe event: answered with 400, and nothing is stored."""


def webhook_event_verify(*, payload, signature):
    """The event in `payload` (the raw body), once its Stripe-Signature header is verified with
    the webhook secret and its timestamp is within STRIPE_WEBHOOK_TOLERANCE seconds."""
    # The SDK compares signatures with hmac.compare_digest, which raises TypeError on non-ASCII.
    if not signature or not signature.isascii():
        raise WebhookRejected("No valid Stripe-Signature header.")
    try:
        stripe.WebhookSignature.verify_header(
            payload,
            signature,
            settings.STRIPE_WEBHOOK_SECRET,
            settings.STRIPE_WEBHOOK_TOLERANCE,
        )
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise WebhookRejected(str(error)) from error
    data = event.get("data") if isinstance(event, dict) else None
    if not (
        isinstance(data, dict)
        and event.get("object") == "event"
        and isinstance(event.get("id"), str)
        and isinstance(event.get("type"), str)
        and isinstance(data.get("object"), dict)
    ):
        raise WebhookRejected("The payload is not a Stripe event.")
    return event


def webhook_event_receive(*, event):
    """Store a verified event once and process it. Returns the stored event, or None for a type
    the app does not handle (acknowledged and ignored)."""
    if event["type"] not in EVENT_HANDLERS:
        return None
    with transaction.atomic():
        stored, created = WebhookEvent.objects.get_or_create(
            stripe_id=event["id"],
            defaults={
                "type": event["type"],
                "livemode": bool(event.get("livemode")),
                "payload": event,
            },
        )
        if created:
            webhook_event_process(event=stored)
    return stored


def webhook_event_process(*, event):
    """Apply a stored event. Every handler may run again on the same event (the replay
    command does): the state it leaves is the same."""
    handler = EVENT_HANDLERS.get(event.type)
    if handler is not None:
        handler(event.payload["data"]["object"])
    event.processed_at = timezone.now()
    event.save(update_fields=["processed_at"])


def id_of(value):
    """The id of an expandable field: Stripe sends an id, or the object when expanded."""
    return value.get("id") if isinstance(value, dict) else value


def payment_for_update(*, session_id=None, intent_id=None, key=None):
    """The payment that Stripe's ids or the metadata name, locked until the transaction ends."""
    query = Q(pk__in=[])
    if session_id:
        query |= Q(stripe_checkout_session_id=session_id)
    if intent_id:
        query |= Q(stripe_payment_intent_id=intent_id)
    with contextlib.suppress(ValueError):  # metadata that is no key of ours
        query |= Q(key=uuid.UUID(str(key)))
    return Payment.objects.select_for_update().filter(query).first()


def payment_advance(payment, status):
    """Move `payment` to `status`, unless it is already as far along or further."""
    if Payment.PROGRESS[status] > Payment.PROGRESS[payment.status]:
        payment.status = status


def on_checkout_session_completed(session):
    customer_id = id_of(session.get("customer"))
    if session.get("mode") == "subscription":
        subscription_sync(stripe_id=id_of(session.get("subscription")), customer=customer_id)
        return
    payment = payment_for_update(
        session_id=session["id"], key=(session.get("metadata") or {}).get("payment")
    )
    if payment is None:
        logger.info("Checkout session %s is no payment of this site", session["id"])
        return
    payment.stripe_payment_intent_id = id_of(session.get("payment_intent")) or (
        payment.stripe_payment_intent_id
    )
    if session.get("payment_status") == "paid":
        payment_advance(payment, Payment.Status.SUCCEEDED)
    payment.save()


def on_payment_intent(intent, status):
    payment = payment_for_update(
        intent_id=intent["id"], key=(intent.get("metadata") or {}).get("payment")
    )
    if payment is None:
        logger.info("PaymentIntent %s is no payment of this site", intent["id"])
        return
    payment.stripe_payment_intent_id = intent["id"]
    payment_advance(payment, status)
    payment.save()


def on_charge_refunded(charge):
    payment = payment_for_update(intent_id=id_of(charge.get("payment_intent")))
    if payment is None:
        logger.info("Charge %s is no payment of this site", charge["id"])
        return
    payment.amount_refunded = max(payment.amount_refunded, charge.get("amount_refunded") or 0)
    if charge.get("refunded"):
        payment_advance(payment, Payment.Status.REFUNDED)
    payment.save()


def on_subscription_changed(subscription):
    subscription_sync(stripe_id=subscription["id"], customer=id_of(subscription.get("customer")))


def on_invoice(invoice):
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    if details.get("subscription"):
        subscription_sync(
            stripe_id=id_of(details["subscription"]),
            customer=id_of(invoice.get("customer")),
        )


def subscription_sync(*, stripe_id, customer):
    """Store the subscription as Stripe has it now. Its customer's row stays locked from before
    the read until the transaction ends, so two events of one customer apply in turn and the
    later read wins. Subscriptions of customers this site did not create are ignored."""
    owner = Customer.objects.select_for_update().filter(stripe_id=customer).first()
    if owner is None or not stripe_id:
        logger.info("Subscription %s is no subscription of this site", stripe_id)
        return None
    remote = stripe_client().v1.subscriptions.retrieve(stripe_id).to_dict()
    item = remote["items"]["data"][0] if remote["items"]["data"] else {}
    period_end = item.get("current_period_end")
    subscription, _ = Subscription.objects.update_or_create(
        stripe_id=stripe_id,
        defaults={
            "user": owner.user,
            "status": remote["status"],
            "price_id": (item.get("price") or {}).get("id", ""),
            "current_period_end": datetime.fromtimestamp(period_end, UTC) if period_end else None,
            "cancel_at_period_end": bool(remote.get("cancel_at_period_end")),
        },
    )
    return subscription


# The event types the app handles: enable exactly these on the webhook endpoint (docs/payments.md).
EVENT_HANDLERS = {
    "checkout.session.completed": on_checkout_session_completed,
    "payment_intent.succeeded": partial(on_payment_intent, status=Payment.Status.SUCCEEDED),
    "payment_intent.payment_failed": partial(on_payment_intent, status=Payment.Status.FAILED),
    "charge.refunded": on_charge_refunded,
    "customer.subscription.created": on_subscription_changed,
    "customer.subscription.updated": on_subscription_changed,
    "customer.subscription.deleted": on_subscription_changed,
    "invoice.paid": on_invoice,
    "invoice.payment_failed": on_invoice,
}
