"""The Stripe API client: the official SDK's StripeClient, built once from the settings."""

import functools

import stripe
from django.conf import settings


class PaymentsNotConfigured(Exception):
    """STRIPE_SECRET_KEY is not set: nothing may be sent to Stripe."""


def stripe_client():
    """The client for the current settings: the pinned API version, network retries (a bare
    client retries nothing) and timeouts."""
    if not settings.STRIPE_SECRET_KEY:
        raise PaymentsNotConfigured("STRIPE_SECRET_KEY is not set (see docs/payments.md).")
    return _client(
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_VERSION,
        settings.STRIPE_MAX_NETWORK_RETRIES,
        settings.STRIPE_TIMEOUT,
    )


@functools.lru_cache(maxsize=4)
def _client(api_key, api_version, max_network_retries, timeout):
    # One client per process (and per set of settings): its HTTP connections are reused.
    return stripe.StripeClient(
        api_key,
        stripe_version=api_version,
        max_network_retries=max_network_retries,
        http_client=stripe.RequestsClient(timeout=timeout),
    )
