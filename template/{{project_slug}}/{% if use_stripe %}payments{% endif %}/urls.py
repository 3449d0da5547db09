"""Payments' URLs, under /payments/: the billing page, checkouts, the portal and the webhook."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("", views.billing, name="billing"),
    path("checkout/payment/", views.checkout_payment, name="checkout-payment"),
    path("checkout/subscription/", views.checkout_subscription, name="checkout-subscription"),
    path("checkout/success/", views.checkout_success, name="checkout-success"),
    path("checkout/cancel/", views.checkout_cancel, name="checkout-cancel"),
    path("portal/", views.billing_portal, name="portal"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
]
