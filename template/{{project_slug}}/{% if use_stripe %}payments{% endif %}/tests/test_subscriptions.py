"""A subscription's life from webhooks: each event re-reads the subscription from Stripe, so the
account shows what Stripe has now, whatever order the events arrive in."""

from datetime import UTC, datetime

import pytest

from .. import selectors
from ..models import Subscription
from . import stripe_objects as so

pytestmark = pytest.mark.django_db

SUBSCRIPTION_ID = "sub_test_shipyard"


def stripe_has(stripe_api, status, **fields):
    """Stripe's answer to the re-read, once: the subscription in `status`."""
    customer_id = fields.pop("customer_id")
    remote = so.subscription(id=SUBSCRIPTION_ID, customer_id=customer_id, status=status, **fields)
    stripe_api.get(f"{so.API}/v1/subscriptions/{SUBSCRIPTION_ID}", json=remote)
    return remote


def test_a_subscription_lives_from_created_to_past_due_to_canceled(client, customer, stripe_api):
    user, customer_id = customer.user, customer.stripe_id
    session = so.checkout_session(
        mode="subscription",
        customer_id=customer_id,
        subscription_id=SUBSCRIPTION_ID,
        payment_status="paid",
    )

    stripe_has(stripe_api, "active", customer_id=customer_id, period_end=1_900_000_000)
    so.deliver(client, so.event("checkout.session.completed", session))
    subscription = Subscription.objects.get(stripe_id=SUBSCRIPTION_ID)
    assert (subscription.user, subscription.status) == (user, "active")
    assert subscription.price_id == "price_test_shipyard"
    assert subscription.current_period_end == datetime.fromtimestamp(1_900_000_000, UTC)
    assert selectors.user_has_active_subscription(user=user)

    stripe_has(stripe_api, "past_due", customer_id=customer_id)
    unpaid = so.invoice(customer_id=customer_id, subscription_id=SUBSCRIPTION_ID, status="open")
    so.deliver(client, so.event("invoice.payment_failed", unpaid))
    assert selectors.subscription_current(user=user).status == "past_due"
    assert not selectors.user_has_active_subscription(user=user)

    stripe_has(stripe_api, "canceled", customer_id=customer_id)
    gone = so.subscription(id=SUBSCRIPTION_ID, customer_id=customer_id, status="canceled")
    so.deliver(client, so.event("customer.subscription.deleted", gone))
    assert selectors.subscription_current(user=user).status == "canceled"


def test_every_re_read_asks_for_the_pinned_api_version(client, customer, stripe_api, settings):
    stripe_has(stripe_api, "active", customer_id=customer.stripe_id)
    created = so.subscription(id=SUBSCRIPTION_ID, customer_id=customer.stripe_id)

    so.deliver(client, so.event("customer.subscription.created", created))

    (call,) = stripe_api.calls
    assert call.request.headers["Stripe-Version"] == settings.STRIPE_API_VERSION
    assert call.request.headers["Authorization"] == f"Bearer {settings.STRIPE_SECRET_KEY}"


def test_a_late_event_does_not_bring_a_canceled_subscription_back(client, customer, stripe_api):
    customer_id = customer.stripe_id
    stripe_has(stripe_api, "canceled", customer_id=customer_id)
    stripe_has(stripe_api, "canceled", customer_id=customer_id)
    canceled = so.subscription(id=SUBSCRIPTION_ID, customer_id=customer_id, status="canceled")
    # The event sent when it started arrives after the one sent when it ended.
    active = so.subscription(id=SUBSCRIPTION_ID, customer_id=customer_id, status="active")

    so.deliver(client, so.event("customer.subscription.deleted", canceled))
    so.deliver(client, so.event("customer.subscription.created", active))

    assert Subscription.objects.get().status == "canceled"


def test_a_paid_invoice_renews_the_period(client, customer, stripe_api):
    Subscription.objects.create(
        user=customer.user, stripe_id=SUBSCRIPTION_ID, status="past_due", price_id="price_old"
    )
    stripe_has(stripe_api, "active", customer_id=customer.stripe_id, period_end=1_950_000_000)
    paid = so.invoice(customer_id=customer.stripe_id, subscription_id=SUBSCRIPTION_ID)

    so.deliver(client, so.event("invoice.paid", paid))

    subscription = Subscription.objects.get()
    assert subscription.status == "active"
    assert subscription.current_period_end == datetime.fromtimestamp(1_950_000_000, UTC)


def test_cancellation_at_period_end_is_shown(client, customer, stripe_api):
    stripe_has(stripe_api, "active", customer_id=customer.stripe_id, cancel_at_period_end=True)
    updated = so.subscription(id=SUBSCRIPTION_ID, customer_id=customer.stripe_id)

    so.deliver(client, so.event("customer.subscription.updated", updated))

    assert Subscription.objects.get().cancel_at_period_end is True


def test_subscriptions_of_customers_of_another_site_are_ignored(client, db, stripe_api):
    stranger = so.subscription(id=SUBSCRIPTION_ID, customer_id="cus_test_somebody_else")

    response = so.deliver(client, so.event("customer.subscription.created", stranger))

    assert response.status_code == 200
    assert len(stripe_api.calls) == 0  # not even re-read
    assert not Subscription.objects.exists()


def test_invoices_of_no_subscription_change_nothing(client, customer, stripe_api):
    one_off = so.invoice(customer_id=customer.stripe_id, subscription_id=None)
    one_off["parent"] = None

    response = so.deliver(client, so.event("invoice.paid", one_off))

    assert response.status_code == 200
    assert not Subscription.objects.exists()
