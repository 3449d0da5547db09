"""Process a stored Stripe webhook event again: `manage.py stripe_replay_event evt_...`.

For an event whose processing failed or went wrong (a bug fixed since, say). Processing is
idempotent: replaying an event that was applied leaves the same state.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ...models import WebhookEvent
from ...services import webhook_event_process


class Command(BaseCommand):
    help = "Process a stored Stripe webhook event again, by its id (evt_...)."

    def add_arguments(self, parser):
        parser.add_argument("event_id", help="the Stripe event id, evt_...")

    def handle(self, *args, event_id, **options):
        with transaction.atomic():
            event = WebhookEvent.objects.select_for_update().filter(stripe_id=event_id).first()
            if event is None:
                raise CommandError(f"No stored webhook event {event_id}.")
            webhook_event_process(event=event)
        self.stdout.write(f"Processed {event.type} {event.stripe_id} again.")
