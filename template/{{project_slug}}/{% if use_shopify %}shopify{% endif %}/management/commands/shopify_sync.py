"""manage.py shopify_sync [--shop example.myshopify.com] [--resume]: sync the products of every
connected store, or of one; --resume continues a failed run after its last stored page."""

from django.core.management import BaseCommand, CommandError

from ...selectors import store_list_active
from ...services import products_sync


class Command(BaseCommand):
    help = "Sync the products and variants of the connected Shopify stores."

    def add_arguments(self, parser):
        parser.add_argument("--shop", help="Only this store (example.myshopify.com).")
        parser.add_argument(
            "--resume", action="store_true", help="Continue each store's last failed run."
        )

    def handle(self, *args, shop=None, resume=False, **options):
        stores = store_list_active()
        if shop:
            stores = stores.filter(shop=shop)
            if not stores.exists():
                raise CommandError(f"No connected Shopify store {shop}.")
        failed = 0
        for store in stores:
            run = products_sync(store=store, resume=resume)
            self.stdout.write(
                f"{store.shop}: {run.status}, {run.pages} pages, "
                f"{run.products_created} created, {run.products_updated} updated, "
                f"{run.products_unchanged} unchanged"
            )
            for error in run.errors:
                self.stderr.write(f"{store.shop}: {error['error']}")
            failed += run.status == run.Status.FAILED
        if failed:
            raise CommandError(f"{failed} sync(s) failed: run again with --resume.")
