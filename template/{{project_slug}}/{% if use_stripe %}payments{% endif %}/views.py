"""Payments' pages and the Stripe webhook, kept thin: services and selectors do the work.

Nothing here marks a payment paid or a subscription active: the success page only shows what
the webhook has recorded so far.
"""

import logging

import stripe
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .client import PaymentsNotConfigured
from .models import format_amount

logger = logging.getLogger(__name__)

# The billing page's forms end on Stripe's pages: its CSP lets them go there.
STRIPE_FORM_ACTIONS = {"form-action": ["https://checkout.stripe.com", "https://billing.stripe.com"]}
UNAVAILABLE = "Payments are not available right now. Please try again in a few minutes."


def absolute_url(request, name):
    return request.build_absolute_uri(reverse(name))


def success_url(request):
    # Stripe puts the session's id in place of {CHECKOUT_SESSION_ID}.
    return absolute_url(request, "payments:checkout-success") + "?session_id={CHECKOUT_SESSION_ID}"


def to_stripe(request, start):
    """Redirect to the Stripe page that `start()` returns, or back to billing if Stripe fails."""
    try:
        return redirect(start())
    except (PaymentsNotConfigured, stripe.StripeError):
        logger.exception("Could not start a Stripe session")
        messages.error(request, UNAVAILABLE)
        return redirect("payments:billing")


@require_GET
@login_required
@csp_update(STRIPE_FORM_ACTIONS)
def billing(request):
    user = request.user
    context = {
        "subscription": selectors.subscription_current(user=user),
        "has_active_subscription": selectors.user_has_active_subscription(user=user),
        "is_customer": selectors.user_is_customer(user=user),
        "payments": selectors.payment_list(user=user)[:20],
        "one_time_payment": settings.STRIPE_ONE_TIME_PAYMENT,
        "one_time_price": format_amount(
            settings.STRIPE_ONE_TIME_PAYMENT["amount"], settings.STRIPE_ONE_TIME_PAYMENT["currency"]
        ),
        "sells_subscriptions": bool(settings.STRIPE_PRICE_ID),
    }
    return render(request, "payments/billing.html", context)


@require_POST
@login_required
def checkout_payment(request):
    return to_stripe(
        request,
        lambda: services.checkout_payment_start(
            user=request.user,
            **settings.STRIPE_ONE_TIME_PAYMENT,
            success_url=success_url(request),
            cancel_url=absolute_url(request, "payments:checkout-cancel"),
        )[1],
    )


@require_POST
@login_required
def checkout_subscription(request):
    if selectors.user_has_active_subscription(user=request.user):
        messages.info(request, "You are subscribed already: manage it in the billing portal.")
        return redirect("payments:billing")
    return to_stripe(
        request,
        lambda: services.checkout_subscription_start(
            user=request.user,
            price_id=settings.STRIPE_PRICE_ID,
            success_url=success_url(request),
            cancel_url=absolute_url(request, "payments:checkout-cancel"),
        ),
    )


@require_POST
@login_required
def billing_portal(request):
    return to_stripe(
        request,
        lambda: services.billing_portal_start(
            user=request.user, return_url=absolute_url(request, "payments:billing")
        ),
    )


@require_GET
@login_required
def checkout_success(request):
    # Only shows what is recorded: the webhook, not this redirect, says whether it was paid.
    payment = selectors.payment_for_checkout_session(
        user=request.user, session_id=request.GET.get("session_id", "")
    )
    return render(request, "payments/checkout_success.html", {"payment": payment})


@require_GET
@login_required
def checkout_cancel(request):
    return render(request, "payments/checkout_cancel.html")


@csrf_exempt  # Stripe cannot send a CSRF token: the signature check stands in for it.
@require_POST
def stripe_webhook(request):
    """Stripe's events: verified on the raw body before anything is parsed, stored once."""
    try:
        payload = request.body
    except RequestDataTooBig:
        return HttpResponse("Request body too large.", status=413, content_type="text/plain")
    try:
        event = services.webhook_event_verify(
            payload=payload, signature=request.headers.get("Stripe-Signature")
        )
    except services.WebhookRejected as rejection:
        logger.warning("Stripe webhook rejected: %s", rejection)
        return HttpResponseBadRequest("Invalid Stripe webhook.", content_type="text/plain")
    services.webhook_event_receive(event=event)
    return HttpResponse(status=200)
