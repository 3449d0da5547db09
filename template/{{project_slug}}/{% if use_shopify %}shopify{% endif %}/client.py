"""Talking to Shopify: one HTTP client with timeouts, Shopify's `shopifyapp` package for what it
does (webhook verification, token refresh, GraphQL requests), and what it leaves to the app:
waiting for the cost-based throttle and retrying throttled, 429 and 5xx answers with backoff.

Tests replace `http_client` with one on a fake transport (tests/conftest.py): nothing reaches
the network, and `shopifyapp` runs as it does in production.
"""

import json
import logging
import time

import httpx
from django.conf import settings
from shopify_app import ShopifyApp

logger = logging.getLogger(__name__)

# Answers worth another try: Shopify asked to slow down or failed on its side.
RETRY_STATUSES = {429, 500, 502, 503, 504}
# Seconds before the first retry, doubled for each next one, at most BACKOFF_MAX.
BACKOFF = 1.0
BACKOFF_MAX = 30.0


class ShopifyNotConfigured(Exception):
    """SHOPIFY_API_KEY or SHOPIFY_API_SECRET is not set: nothing is sent to Shopify."""


class ShopifyError(Exception):
    """Shopify answered with an error, or could not be reached, after the retries."""

    def __init__(self, message, *, status=None):
        super().__init__(message)
        self.status = status


class AccessTokenInvalid(ShopifyError):
    """Shopify refused the access token (401): expired, revoked or wrong."""


def http_client():
    """An HTTP client whose every request has a timeout (connect, then each read)."""
    connect, read = settings.SHOPIFY_TIMEOUT
    return httpx.Client(timeout=httpx.Timeout(read, connect=connect))


def shopify_app():
    if not (settings.SHOPIFY_API_KEY and settings.SHOPIFY_API_SECRET):
        raise ShopifyNotConfigured("SHOPIFY_API_KEY and SHOPIFY_API_SECRET must both be set.")
    return ShopifyApp(client_id=settings.SHOPIFY_API_KEY, client_secret=settings.SHOPIFY_API_SECRET)


def shop_name(shop):
    """shopifyapp names a shop without its domain: example.myshopify.com is "example"."""
    return shop.removesuffix(".myshopify.com")


def pause(seconds):
    """Wait between attempts (the tests replace it: they never really wait)."""
    time.sleep(seconds)


def backoff(attempt):
    return min(BACKOFF * 2**attempt, BACKOFF_MAX)


class Throttle:
    """Shopify's cost-based throttle of one shop, as its last answer reported it: before the next
    query, wait until the bucket holds what that query may cost."""

    def __init__(self, *, sleep=None):
        self.sleep = sleep
        self.available = None
        self.restore_rate = None
        self.requested = None  # what the last query asked for: the next one is alike

    def observe(self, extensions):
        cost = (extensions or {}).get("cost") or {}
        status = cost.get("throttleStatus") or {}
        if cost.get("requestedQueryCost"):
            self.requested = float(cost["requestedQueryCost"])
        if "currentlyAvailable" in status and status.get("restoreRate"):
            self.available = float(status["currentlyAvailable"])
            self.restore_rate = float(status["restoreRate"])

    def wait_for(self, cost):
        if self.available is None or self.available >= cost:
            return 0.0
        delay = (cost - self.available) / self.restore_rate
        logger.info("Shopify throttle: waiting %.1f s for %s points", delay, cost)
        (self.sleep or pause)(delay)
        self.available = cost
        return delay


def throttled(body):
    """Whether a GraphQL answer is Shopify's THROTTLED error (it comes with HTTP 200)."""
    try:
        errors = json.loads(body or "{}").get("errors") or []
    except (ValueError, AttributeError):
        return False
    if not isinstance(errors, list):
        return False
    return any(
        isinstance(error, dict) and (error.get("extensions") or {}).get("code") == "THROTTLED"
        for error in errors
    )


def graphql(*, shop, access_token, query, variables=None, cost=1, throttle=None, sleep=None):
    """Run a GraphQL query against the Admin API at SHOPIFY_API_VERSION; returns its `data`.

    Waits for the throttle first, then retries THROTTLED, 429 and 5xx answers with backoff, at
    most SHOPIFY_MAX_ATTEMPTS times. Raises AccessTokenInvalid on 401 and ShopifyError otherwise.
    """
    sleep = sleep or pause
    throttle = throttle or Throttle(sleep=sleep)
    app = shopify_app()
    attempts = settings.SHOPIFY_MAX_ATTEMPTS
    with http_client() as http:
        for attempt in range(attempts):
            throttle.wait_for(cost)
            result = app.admin_graphql_request(
                query,
                shop=shop_name(shop),
                access_token=access_token,
                api_version=settings.SHOPIFY_API_VERSION,
                variables=variables,
                max_retries=0,  # the retries are ours, below: their waits can be tested
                http_client=http,
            )
            throttle.observe(result.extensions or _extensions(result.response.body))
            status = result.response.status
            if result.ok:
                return result.data or {}
            if status == 401:
                raise AccessTokenInvalid("Shopify refused the access token.", status=401)
            was_throttled = throttled(result.response.body)
            retry = was_throttled or status in RETRY_STATUSES or status == 0
            if not retry or attempt == attempts - 1:
                break
            if was_throttled and throttle.available is not None and throttle.available < cost:
                continue  # the throttle waits for the bucket to refill before the next attempt
            delay = _retry_after(result) or backoff(attempt)
            logger.warning(
                "Shopify GraphQL %s (%s): retry %s in %.1f s",
                status,
                result.log.code,
                attempt + 1,
                delay,
            )
            sleep(delay)
    raise ShopifyError(
        f"Shopify GraphQL request failed: {result.log.code} (HTTP {status}): "
        f"{_errors(result.response.body)}",
        status=status,
    )


def _extensions(body):
    try:
        extensions = json.loads(body or "{}").get("extensions")
    except (ValueError, AttributeError):
        return None
    return extensions if isinstance(extensions, dict) else None


def _errors(body):
    try:
        errors = json.loads(body or "{}").get("errors")
    except (ValueError, AttributeError):
        errors = None
    return json.dumps(errors)[:500] if errors else (body or "")[:200]


def _retry_after(result):
    """Shopify's Retry-After, in seconds (from the answer itself: shopifyapp's summary of a 429
    leaves its headers out)."""
    answers = [log.res for log in result.http_logs or [] if getattr(log, "res", None)]
    headers = answers[-1].headers if answers else result.response.headers
    value = {name.lower(): value for name, value in (headers or {}).items()}.get("retry-after")
    try:
        return min(float(value), BACKOFF_MAX) if value else None
    except ValueError:
        return None
