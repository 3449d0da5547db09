"""The billing pages: they send people to Stripe and back, and never mark anything paid."""

import pytest

from ..models import Payment, Subscription
from . import stripe_objects as so
from .factories import PaymentFactory

pytestmark = pytest.mark.django_db


def test_billing_pages_need_a_signed_in_user(client):
    response = client.get("/payments/")

    assert response.status_code == 302
    assert "?next=/payments/" in response["Location"]


def test_the_billing_page_shows_the_subscription_and_payments(signed_in, user):
    Subscription.objects.create(user=user, stripe_id="sub_test_1", status="past_due")
    PaymentFactory(user=user, status=Payment.Status.SUCCEEDED)

    response = signed_in.get("/payments/")

    page = response.content.decode()
    assert "Your subscription is <strong>past due</strong>" in page
    assert "20.00 USD" in page
    assert "Succeeded" in page


def test_the_billing_page_lets_its_forms_go_to_stripe(signed_in):
    response = signed_in.get("/payments/")

    policy = response["Content-Security-Policy"]
    assert "https://checkout.stripe.com" in policy
    assert "https://billing.stripe.com" in policy


def test_paying_goes_to_stripe_checkout(signed_in, customer, stripe_api):
    session = so.checkout_session(customer_id=customer.stripe_id)
    stripe_api.post(f"{so.API}/v1/checkout/sessions", json=session)

    response = signed_in.post("/payments/checkout/payment/")

    assert response.status_code == 302
    assert response["Location"] == session["url"]
    sent = so.sent_form(stripe_api.calls[0])
    assert sent["line_items[0][price_data][unit_amount]"] == "2000"
    assert sent["success_url"] == (
        "http://testserver/payments/checkout/success/?session_id={CHECKOUT_SESSION_ID}"
    )
    assert Payment.objects.get().status == Payment.Status.PENDING


def test_subscribing_goes_to_stripe_checkout_for_the_configured_price(
    signed_in, customer, stripe_api, settings
):
    session = so.checkout_session(customer_id=customer.stripe_id, mode="subscription")
    stripe_api.post(f"{so.API}/v1/checkout/sessions", json=session)

    response = signed_in.post("/payments/checkout/subscription/")

    assert response["Location"] == session["url"]
    assert so.sent_form(stripe_api.calls[0])["line_items[0][price]"] == settings.STRIPE_PRICE_ID


def test_subscribers_are_not_sent_to_subscribe_again(signed_in, customer):
    Subscription.objects.create(user=customer.user, stripe_id="sub_test_1", status="active")

    response = signed_in.post("/payments/checkout/subscription/", follow=True)

    assert response.redirect_chain == [("/payments/", 302)]
    assert "You are subscribed already" in response.content.decode()


def test_the_portal_button_goes_to_the_customer_portal(signed_in, customer, stripe_api):
    portal = {
        "id": "bps_1",
        "object": "billing_portal.session",
        "url": "https://billing.stripe.com/p/session/1",
    }
    stripe_api.post(f"{so.API}/v1/billing_portal/sessions", json=portal)

    response = signed_in.post("/payments/portal/")

    assert response["Location"] == portal["url"]
    assert so.sent_form(stripe_api.calls[0])["return_url"] == "http://testserver/payments/"


def test_when_stripe_fails_the_user_is_told_and_stays(signed_in, customer, stripe_api):
    error = {"error": {"type": "invalid_request_error", "message": "No such price"}}
    stripe_api.post(f"{so.API}/v1/checkout/sessions", status=400, json=error)

    response = signed_in.post("/payments/checkout/subscription/", follow=True)

    assert response.redirect_chain == [("/payments/", 302)]
    assert "Payments are not available right now" in response.content.decode()


def test_the_success_page_marks_nothing_paid(signed_in, user):
    payment = PaymentFactory(user=user)

    response = signed_in.get(
        "/payments/checkout/success/", {"session_id": payment.stripe_checkout_session_id}
    )

    assert "Stripe is confirming your payment" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_the_success_page_shows_a_payment_the_webhook_confirmed(signed_in, user):
    payment = PaymentFactory(user=user, status=Payment.Status.SUCCEEDED)

    response = signed_in.get(
        "/payments/checkout/success/", {"session_id": payment.stripe_checkout_session_id}
    )

    assert "Your payment of 20.00 USD has been received" in response.content.decode()


def test_the_success_page_shows_no_other_users_payment(signed_in):
    payment = PaymentFactory(status=Payment.Status.SUCCEEDED)

    response = signed_in.get(
        "/payments/checkout/success/", {"session_id": payment.stripe_checkout_session_id}
    )

    assert "20.00 USD" not in response.content.decode()


def test_the_cancel_page_says_nothing_was_charged(signed_in):
    response = signed_in.get("/payments/checkout/cancel/")

    assert "Nothing was charged" in response.content.decode()


def test_checkout_needs_a_csrf_token(client, user):
    client.force_login(user)
    client.handler.enforce_csrf_checks = True

    response = client.post("/payments/checkout/payment/")

    assert response.status_code == 403
