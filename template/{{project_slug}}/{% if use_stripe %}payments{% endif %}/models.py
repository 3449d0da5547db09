"""What the project knows about its Stripe customers, payments, subscriptions and webhook events.

Stripe is the source of truth: these rows change only from what the webhook reports (and from
Stripe's answers when a checkout starts), never from a redirect back to the site.
"""

import uuid

from django.conf import settings
from django.db import models

# Currencies whose amounts Stripe counts in whole units (no cents): https://docs.stripe.com/currencies
ZERO_DECIMAL_CURRENCIES = {
    *("bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga"),
    *("pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"),
}


def format_amount(amount, currency):
    """An amount in the currency's smallest unit, for people: 2000, "usd" -> "20.00 USD"."""
    if currency.lower() in ZERO_DECIMAL_CURRENCIES:
        return f"{amount} {currency.upper()}"
    return f"{amount / 100:.2f} {currency.upper()}"


class Customer(models.Model):
    """The Stripe customer of a user, created the first time the user pays."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stripe_customer"
    )
    # Makes the idempotency key of the create call: two requests at once get one customer.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stripe_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.stripe_id or f"(not created yet) {self.user}"


class Payment(models.Model):
    """A one-time payment, through Checkout or a PaymentIntent, from pending to settled."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        FAILED = "failed", "Failed"
        SUCCEEDED = "succeeded", "Succeeded"
        REFUNDED = "refunded", "Refunded"

    # How far along each status is: an event that arrives late never moves a payment back (a
    # failed attempt may still be followed by a successful one, never the other way round).
    PROGRESS = {Status.PENDING: 0, Status.FAILED: 1, Status.SUCCEEDED: 2, Status.REFUNDED: 3}

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Kept when the user is deleted: payments are accounting records.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="payments"
    )
    amount = models.PositiveIntegerField(help_text="In the currency's smallest unit (cents).")
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    amount_refunded = models.PositiveIntegerField(default=0)
    stripe_checkout_session_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True
    )
    stripe_payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.amount_display} ({self.status})"

    @property
    def amount_display(self):
        return format_amount(self.amount, self.currency)


class Subscription(models.Model):
    """A subscription as Stripe last reported it."""

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", "Incomplete"
        INCOMPLETE_EXPIRED = "incomplete_expired", "Incomplete, expired"
        TRIALING = "trialing", "Trialing"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Past due"
        UNPAID = "unpaid", "Unpaid"
        PAUSED = "paused", "Paused"
        CANCELED = "canceled", "Canceled"

    # The statuses that give access to what the subscription pays for.
    ACTIVE_STATUSES = (Status.TRIALING, Status.ACTIVE)
    # Statuses Stripe never leaves: a late event cannot bring such a subscription back.
    FINAL_STATUSES = (Status.CANCELED, Status.INCOMPLETE_EXPIRED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="subscriptions",
    )
    stripe_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=32, choices=Status.choices)
    price_id = models.CharField(max_length=255, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.stripe_id} ({self.status})"

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES


class WebhookEvent(models.Model):
    """A webhook event Stripe sent, stored once by its id: a delivery of the same id again is
    acknowledged and changes nothing."""

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=255)
    livemode = models.BooleanField(default=False)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.stripe_id}"
