"""Payments in the admin: read-only, since Stripe is the source of truth (change them there)."""

from django.contrib import admin

from .models import Customer, Payment, Subscription, WebhookEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("user", "stripe_id", "created_at")
    search_fields = ("user__email", "stripe_id")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "description", "amount_display", "status")
    list_filter = ("status", "currency")
    search_fields = ("user__email", "stripe_checkout_session_id", "stripe_payment_intent_id")
    date_hierarchy = "created_at"


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("stripe_id", "user", "status", "price_id", "current_period_end")
    list_filter = ("status", "cancel_at_period_end")
    search_fields = ("user__email", "stripe_id")


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "type", "stripe_id", "livemode", "processed_at")
    list_filter = ("type", "livemode")
    search_fields = ("stripe_id",)
    date_hierarchy = "received_at"
