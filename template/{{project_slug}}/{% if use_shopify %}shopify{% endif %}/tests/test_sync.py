"""The product sync: pages of products and their variants through the GraphQL Admin API,
within the cost-based throttle, retried on THROTTLED, 429 and 5xx answers, stored once, and
resumable from the last page stored."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ..models import Product, ProductVariant, SyncRun
from ..services import products_sync
from . import shopify_objects as so

pytestmark = pytest.mark.django_db


def pages(count=3, per_page=2):
    """`count` pages of `per_page` products with 2 variants each, the last one without a next."""
    numbers = iter(range(1, count * per_page + 1))
    return [
        so.products_page(
            [so.product_node(next(numbers)) for _ in range(per_page)],
            cursor=f"cursor-{page}",
            has_next=page < count,
        )
        for page in range(1, count + 1)
    ]


def test_a_sync_across_pages_with_a_throttled_answer_stores_each_product_once(
    store, shopify_api, waits, settings
):
    first, second, third = pages()
    shopify_api.graphql(first, so.throttled(available=2.0, restore_rate=50.0), second, third)

    run = products_sync(store=store)

    assert run.status == SyncRun.Status.SUCCEEDED
    assert (run.pages, run.products_created, run.variants_created) == (3, 6, 12)
    assert run.errors == []
    assert run.duration is not None
    assert Product.objects.count() == 6
    assert ProductVariant.objects.count() == 12
    assert ProductVariant.objects.get(sku="SKU-1-1").price == Decimal("11.99")
    # The throttled query waited for the bucket to refill to the page's cost, then was retried.
    assert waits == [pytest.approx((52 - 2.0) / 50.0)]
    sent = shopify_api.sent("graphql")
    assert [request["json"]["variables"]["after"] for request in sent] == [
        None,
        "cursor-1",
        "cursor-1",
        "cursor-2",
    ]
    assert {request["json"]["variables"]["first"] for request in sent} == {
        settings.SHOPIFY_SYNC_PAGE_SIZE
    }
    version = f"/{settings.SHOPIFY_API_VERSION}/graphql.json"
    assert all(request["url"].endswith(version) for request in sent)


def test_a_second_run_changes_nothing(store, shopify_api):
    shopify_api.graphql(*pages())
    products_sync(store=store)
    before = list(Product.objects.values_list("pk", "title", "synced_at"))
    shopify_api.graphql(*pages())

    run = products_sync(store=store)

    assert (run.products_created, run.products_updated, run.products_unchanged) == (0, 0, 6)
    assert (run.variants_created, run.variants_updated) == (0, 0)
    assert list(Product.objects.values_list("pk", "title", "synced_at")) == before
    assert ProductVariant.objects.count() == 12


def test_a_changed_product_is_updated(store, shopify_api):
    shopify_api.graphql(so.products_page([so.product_node(1)], cursor="c1", has_next=False))
    products_sync(store=store)
    renamed = so.product_node(1, title="Renamed", updated_at="2026-11-22T10:00:00Z")
    shopify_api.graphql(so.products_page([renamed], cursor="c1", has_next=False))

    run = products_sync(store=store)

    assert (run.products_updated, run.products_unchanged) == (1, 0)
    assert Product.objects.get().title == "Renamed"


def test_the_sync_waits_before_a_query_would_exceed_the_throttle(store, shopify_api, waits):
    first, second = pages(count=2)
    first = so.products_page(
        [so.product_node(1)], cursor="cursor-1", has_next=True, available=12.0, restore_rate=50.0
    )
    shopify_api.graphql(first, second)

    products_sync(store=store)

    # The next page costs about what this one did (52): wait until 40 more points restored.
    assert waits == [pytest.approx(40 / 50.0)]


def test_a_failed_page_is_recorded_and_the_run_resumes_from_its_cursor(
    store, shopify_api, settings
):
    first, second, third = pages()
    shopify_api.graphql(first, *[so.response(503) for _ in range(settings.SHOPIFY_MAX_ATTEMPTS)])

    failed = products_sync(store=store)

    assert failed.status == SyncRun.Status.FAILED
    assert failed.cursor == "cursor-1"
    assert failed.pages == 1
    assert failed.errors[0]["cursor"] == "cursor-1"
    assert "503" in failed.errors[0]["error"]
    assert Product.objects.count() == 2

    shopify_api.graphql(second, third)
    resumed = products_sync(store=store, resume=True)

    assert resumed.status == SyncRun.Status.SUCCEEDED
    assert resumed.resumed_from == failed
    assert shopify_api.sent("graphql")[-2]["json"]["variables"]["after"] == "cursor-1"
    assert Product.objects.count() == 6
    assert ProductVariant.objects.count() == 12


def test_resume_after_a_successful_run_starts_from_the_beginning(store, shopify_api):
    shopify_api.graphql(*pages(count=1))
    products_sync(store=store)
    shopify_api.graphql(*pages(count=1))

    run = products_sync(store=store, resume=True)

    assert run.resumed_from is None
    assert shopify_api.sent("graphql")[-1]["json"]["variables"]["after"] is None


def test_429_and_5xx_answers_are_retried_with_backoff(store, shopify_api, waits):
    (page,) = pages(count=1)
    shopify_api.graphql(so.response(429, headers={"Retry-After": "2.0"}), so.response(502), page)

    run = products_sync(store=store)

    assert run.status == SyncRun.Status.SUCCEEDED
    assert waits == [2.0, 2.0]  # Retry-After, then the second attempt's backoff


def test_retries_are_bounded(store, shopify_api, settings, waits):
    shopify_api.graphql(*[so.throttled() for _ in range(settings.SHOPIFY_MAX_ATTEMPTS)])

    run = products_sync(store=store)

    assert run.status == SyncRun.Status.FAILED
    assert "THROTTLED" in run.errors[0]["error"]
    assert len(shopify_api.sent("graphql")) == settings.SHOPIFY_MAX_ATTEMPTS


def test_an_answer_without_products_fails_the_run(store, shopify_api):
    shopify_api.graphql(so.graphql({"shop": {}}))

    assert products_sync(store=store).status == SyncRun.Status.FAILED


def test_the_command_syncs_every_connected_store(store, shopify_api, capsys):
    shopify_api.graphql(*pages(count=2))

    call_command("shopify_sync")

    assert f"{so.SHOP}: succeeded, 2 pages, 4 created" in capsys.readouterr().out
    assert Product.objects.count() == 4


def test_the_command_resumes_a_failed_run(store, shopify_api, settings):
    first, second = pages(count=2)
    shopify_api.graphql(first, *[so.response(500) for _ in range(settings.SHOPIFY_MAX_ATTEMPTS)])
    with pytest.raises(CommandError, match="--resume"):
        call_command("shopify_sync", "--shop", so.SHOP)
    shopify_api.graphql(second)

    call_command("shopify_sync", "--shop", so.SHOP, "--resume")

    assert Product.objects.count() == 4


def test_the_command_names_an_unknown_store(db):
    with pytest.raises(CommandError, match=r"No connected Shopify store unknown\.myshopify\.com"):
        call_command("shopify_sync", "--shop", "unknown.myshopify.com")
