"""Shopify's reads."""

from cryptography.fernet import Fernet
from django.conf import settings

from .models import Product, Store, SyncRun


def store_list_active():
    return Store.objects.filter(uninstalled_at__isnull=True).exclude(access_token="")


def product_list():
    return Product.objects.select_related("store").prefetch_related("variants")


def sync_run_list():
    return SyncRun.objects.select_related("store")


def configuration_problems():
    """What stops the Shopify app from working, from the settings alone (nothing is sent)."""
    problems = [
        f"{name} is not set"
        for name in ("SHOPIFY_API_KEY", "SHOPIFY_API_SECRET")
        if not getattr(settings, name)
    ]
    keys = settings.SHOPIFY_TOKEN_ENCRYPTION_KEYS
    if not keys:
        problems.append("SHOPIFY_TOKEN_ENCRYPTION_KEYS is not set")
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            problems.append("SHOPIFY_TOKEN_ENCRYPTION_KEYS holds a key that is not a Fernet key")
            break
    if settings.SHOPIFY_APP_URL and not settings.SHOPIFY_APP_URL.startswith("https://"):
        problems.append("SHOPIFY_APP_URL is not an https:// URL")
    return problems
