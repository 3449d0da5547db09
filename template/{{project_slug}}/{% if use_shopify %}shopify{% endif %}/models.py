"""Shopify's tables: connected stores, install nonces, webhook deliveries, the synced catalogue
and the record of each sync."""

from django.db import models
from django.utils import timezone

from .fields import EncryptedTextField


class Store(models.Model):
    """A shop that installed the app (OAuth) or was connected with an admin-entered token."""

    class Connection(models.TextChoices):
        OAUTH = "oauth", "OAuth install"
        ADMIN_TOKEN = "admin_token", "Admin-entered token"

    shop = models.CharField(max_length=255, unique=True, help_text="example.myshopify.com")
    name = models.CharField(max_length=255, blank=True)
    connection = models.CharField(max_length=20, choices=Connection, default=Connection.OAUTH)
    # Encrypted at rest (fields.py); never shown in the admin.
    access_token = EncryptedTextField(blank=True)
    scopes = models.CharField(max_length=1000, blank=True, help_text="The granted scopes.")
    # Offline tokens expire: refreshed with the refresh token before or when they do.
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    refresh_token = EncryptedTextField(blank=True)
    refresh_token_expires_at = models.DateTimeField(null=True, blank=True)
    installed_at = models.DateTimeField(default=timezone.now)
    uninstalled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shop"]

    def __str__(self):
        return self.shop

    @property
    def is_active(self):
        return self.uninstalled_at is None and bool(self.access_token)


class OAuthState(models.Model):
    """The one-time nonce of an install: the callback consumes it, so a replay finds none."""

    nonce = models.CharField(max_length=64, unique=True)
    shop = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.shop} ({self.created_at:%Y-%m-%d %H:%M})"


class WebhookDelivery(models.Model):
    """A verified webhook, stored once by Shopify's X-Shopify-Webhook-Id."""

    webhook_id = models.CharField(max_length=255, unique=True)
    topic = models.CharField(max_length=100)
    shop = models.CharField(max_length=255)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.topic} {self.webhook_id}"


class Product(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="products")
    shopify_id = models.CharField(
        max_length=100, unique=True, help_text="gid://shopify/Product/..."
    )
    title = models.CharField(max_length=255)
    handle = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, blank=True)
    vendor = models.CharField(max_length=255, blank=True)
    product_type = models.CharField(max_length=255, blank=True)
    shopify_updated_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class ProductVariant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    shopify_id = models.CharField(
        max_length=100, unique=True, help_text="gid://shopify/ProductVariant/..."
    )
    title = models.CharField(max_length=255)
    sku = models.CharField(max_length=255, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["product", "title", "pk"]

    def __str__(self):
        return f"{self.product} / {self.title}"


class SyncRun(models.Model):
    """One product sync of one store: what it stored, how long it took, where it stopped."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="sync_runs")
    status = models.CharField(max_length=20, choices=Status, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    products_created = models.PositiveIntegerField(default=0)
    products_updated = models.PositiveIntegerField(default=0)
    products_unchanged = models.PositiveIntegerField(default=0)
    variants_created = models.PositiveIntegerField(default=0)
    variants_updated = models.PositiveIntegerField(default=0)
    # The end cursor of the last page stored: a resumed run asks for the page after it.
    cursor = models.CharField(max_length=500, blank=True)
    errors = models.JSONField(default=list, blank=True)
    resumed_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resumed_by"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"{self.store} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None
