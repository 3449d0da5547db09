"""What operators use: the readiness check, the admin and the replay command."""

import pytest
from django.core.management import CommandError, call_command

from ...core import health
from ..models import Payment, WebhookEvent
from . import stripe_objects as so
from .factories import PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_check_threads():
    yield
    health.CHECK_THREADS.close()


def test_readiness_reports_stripe_configured_without_calling_it(client, stripe_api):
    response = client.get("/health/ready/")

    assert response.json()["checks"]["stripe"]["status"] == "ok"
    assert len(stripe_api.calls) == 0


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"STRIPE_SECRET_KEY": ""}, "STRIPE_SECRET_KEY"),
        ({"STRIPE_SECRET_KEY": "pk_test_wrong_key"}, "STRIPE_SECRET_KEY"),
        ({"STRIPE_WEBHOOK_SECRET": "sk_test_wrong_secret"}, "STRIPE_WEBHOOK_SECRET"),
        ({"STRIPE_PUBLISHABLE_KEY": "pk_live_other_mode"}, "different modes"),
    ],
)
def test_readiness_fails_on_a_configuration_that_cannot_work(client, settings, changes, named):
    for name, value in changes.items():
        setattr(settings, name, value)

    response = client.get("/health/ready/")

    assert response.status_code == 503
    check = response.json()["checks"]["stripe"]
    assert check["status"] == "error"
    assert named in check["error"]


def test_staff_see_payments_subscriptions_and_events_in_the_admin(admin_client, settings):
    PaymentFactory()
    so.deliver(admin_client, so.event("payment_intent.payment_failed", so.payment_intent()))

    for model in ("customer", "payment", "subscription", "webhookevent"):
        response = admin_client.get(f"/{settings.ADMIN_URL}payments/{model}/")
        assert response.status_code == 200, model
    assert admin_client.get(f"/{settings.ADMIN_URL}payments/payment/add/").status_code == 403


def test_the_replay_command_applies_a_stored_event_again(client, capsys):
    payment = PaymentFactory()
    intent = so.payment_intent(
        id=payment.stripe_payment_intent_id, payment_key=str(payment.key), status="succeeded"
    )
    event = so.event("payment_intent.succeeded", intent)
    so.deliver(client, event)
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.PENDING)

    call_command("stripe_replay_event", event["id"])

    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert f"Processed payment_intent.succeeded {event['id']} again" in capsys.readouterr().out
    assert WebhookEvent.objects.count() == 1


def test_the_replay_command_names_an_unknown_event():
    with pytest.raises(CommandError, match="No stored webhook event evt_missing"):
        call_command("stripe_replay_event", "evt_missing")
