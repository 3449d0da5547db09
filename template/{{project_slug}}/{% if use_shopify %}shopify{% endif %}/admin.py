"""Shopify in the admin: stores (connected here with a custom app's token, tested first; the
token is never shown), the synced catalogue, sync runs and webhook deliveries (read-only)."""

from django import forms
from django.contrib import admin

from . import services
from .client import ShopifyError, ShopifyNotConfigured
from .models import Product, ProductVariant, Store, SyncRun, WebhookDelivery


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StoreConnectForm(forms.ModelForm):
    """Connect a store by the Admin API access token of a custom app made in its admin: the
    token is tested against Shopify before anything is saved."""

    access_token = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        help_text="The Admin API access token (shpat_...) of the custom app; never shown again.",
    )

    class Meta:
        model = Store
        fields = ["shop"]

    def clean(self):
        cleaned = super().clean()
        shop, token = cleaned.get("shop"), cleaned.get("access_token")
        if shop and token:
            try:
                services.shop_domain_clean(shop)
                self.connection = services.store_connection_test(shop=shop, access_token=token)
            except services.RequestRejected as rejection:
                self.add_error("shop", str(rejection))
            except (ShopifyError, ShopifyNotConfigured) as error:
                raise forms.ValidationError(f"The connection test failed: {error}") from error
        return cleaned


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ("shop", "name", "connection", "installed_at", "uninstalled_at")
    list_filter = ("connection",)
    search_fields = ("shop", "name")
    # The tokens are not among them: they are never displayed.
    readonly_fields = (
        "shop",
        "name",
        "connection",
        "scopes",
        "access_token_expires_at",
        "refresh_token_expires_at",
        "installed_at",
        "uninstalled_at",
    )
    fields = readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = StoreConnectForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["shop", "access_token"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        store = services.store_connect(
            shop=form.cleaned_data["shop"],
            access_token=form.cleaned_data["access_token"],
            tested=form.connection,
        )
        obj.pk = store.pk
        return None


class ProductVariantInline(admin.TabularInline):
    model = ProductVariant
    fields = ("shopify_id", "title", "sku", "price")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ("title", "store", "status", "vendor", "shopify_updated_at", "synced_at")
    list_filter = ("status", "store")
    search_fields = ("title", "handle", "shopify_id", "variants__sku")
    inlines = [ProductVariantInline]


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at",
        "store",
        "status",
        "pages",
        "products_created",
        "products_updated",
        "products_unchanged",
        "duration",
    )
    list_filter = ("status", "store")
    date_hierarchy = "started_at"


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "topic", "shop", "webhook_id", "processed_at")
    list_filter = ("topic",)
    search_fields = ("webhook_id", "shop")
    date_hierarchy = "received_at"
