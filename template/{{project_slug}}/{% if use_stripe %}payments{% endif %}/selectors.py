"""Payments' reads: what a user has paid and subscribed to, and whether Stripe is configured."""

from django.conf import settings

from .models import Customer, Payment, Subscription

SECRET_KEY_PREFIXES = ("sk_test_", "sk_live_", "rk_test_", "rk_live_")


def subscription_current(*, user):
    """The subscription that counts for `user`: an active one, else the latest, else None."""
    subscriptions = Subscription.objects.filter(user=user)
    active = subscriptions.filter(status__in=Subscription.ACTIVE_STATUSES).first()
    return active or subscriptions.first()


def user_has_active_subscription(*, user):
    return Subscription.objects.filter(user=user, status__in=Subscription.ACTIVE_STATUSES).exists()


def user_is_customer(*, user):
    """Whether `user` has a Stripe customer (and so something to manage in the portal)."""
    return Customer.objects.filter(user=user, stripe_id__isnull=False).exists()


def payment_list(*, user):
    return Payment.objects.filter(user=user)


def payment_for_checkout_session(*, user, session_id):
    """The payment of `user` that a Checkout session paid for, or None."""
    return Payment.objects.filter(user=user, stripe_checkout_session_id=session_id).first()


def configuration_problems():
    """What stops payments from working, from the settings alone (nothing is sent to Stripe)."""
    secret, publishable = settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY
    problems = []
    if not secret.startswith(SECRET_KEY_PREFIXES):
        problems.append("STRIPE_SECRET_KEY is not a secret key (sk_test_... or sk_live_...)")
    if not settings.STRIPE_WEBHOOK_SECRET.startswith("whsec_"):
        problems.append("STRIPE_WEBHOOK_SECRET is not a webhook signing secret (whsec_...)")
    if publishable and ("_live_" in secret) != ("_live_" in publishable):
        problems.append("STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY are of different modes")
    return problems
