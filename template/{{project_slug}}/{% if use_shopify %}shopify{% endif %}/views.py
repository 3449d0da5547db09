"""Shopify's install, callback and webhook views, kept thin: services do the work.

Refused input gets a 4xx with a plain-text reason, never a 500: a bad shop, state or query
signature 400, a webhook that is not Shopify's 401.
"""

import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import services
from .client import ShopifyError, ShopifyNotConfigured

logger = logging.getLogger(__name__)


def absolute_url(request, name):
    """Where Shopify reaches this site: SHOPIFY_APP_URL, else the request's own origin."""
    path = reverse(name)
    base = settings.SHOPIFY_APP_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def bad_request(message):
    return HttpResponseBadRequest(message, content_type="text/plain")


@require_GET
def install(request):
    """/shopify/install/?shop=example.myshopify.com: on to Shopify's authorization page."""
    try:
        url = services.oauth_install_start(
            shop=request.GET.get("shop", ""),
            redirect_uri=absolute_url(request, "shopify:callback"),
        )
    except services.RequestRejected as rejection:
        return bad_request(str(rejection))
    except ShopifyNotConfigured:
        return HttpResponse("Shopify is not configured.", status=503, content_type="text/plain")
    return HttpResponseRedirect(url)


@require_GET
def callback(request):
    """Where Shopify sends the merchant back with a code: verified, then exchanged."""
    params = {key: request.GET.get(key, "") for key in request.GET}
    try:
        store = services.oauth_callback_complete(
            params=params, webhook_url=absolute_url(request, "shopify:webhooks")
        )
    except services.RequestRejected as rejection:
        logger.warning("Shopify install refused: %s", rejection)
        return bad_request(str(rejection))
    except (ShopifyError, ShopifyNotConfigured) as error:
        logger.warning("Shopify install failed: %s", error)
        return HttpResponse(
            "Shopify could not complete the install: please try again.",
            status=502,
            content_type="text/plain",
        )
    return render(request, "shopify/installed.html", {"store": store})


@csrf_exempt  # Shopify signs the body instead (X-Shopify-Hmac-Sha256), checked first
@require_POST
def webhook(request):
    """Shopify's webhooks: the raw body verified before anything is parsed, stored once."""
    try:
        body = request.body
    except RequestDataTooBig:
        return HttpResponse("Request body too large.", status=413, content_type="text/plain")
    try:
        services.webhook_verify(body=body, headers=request.headers)
    except services.RequestRejected as rejection:
        logger.warning("Shopify webhook rejected: %s", rejection)
        return HttpResponse("Unauthorized.", status=401, content_type="text/plain")
    webhook_id = request.headers.get("X-Shopify-Webhook-Id", "")
    topic = request.headers.get("X-Shopify-Topic", "")
    try:
        shop = services.shop_domain_clean(request.headers.get("X-Shopify-Shop-Domain", ""))
        payload = json.loads(body)
    except (services.RequestRejected, ValueError):
        return bad_request("A webhook needs a shop domain and a JSON body.")
    if not webhook_id or not isinstance(payload, dict):
        return bad_request("A webhook needs X-Shopify-Webhook-Id and a JSON object.")
    if topic not in services.HANDLED_TOPICS:
        return HttpResponse(status=200)  # acknowledged, not stored
    problem = services.webhook_payload_problem(topic=topic, payload=payload)
    if problem:
        return bad_request(problem)
    services.webhook_receive(webhook_id=webhook_id, topic=topic, shop=shop, payload=payload)
    return HttpResponse(status=200)
