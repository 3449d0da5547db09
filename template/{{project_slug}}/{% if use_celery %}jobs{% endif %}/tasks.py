"""Tasks every project runs: sending an email once, and the daily housekeeping (see the schedule,
CELERY_BEAT_SCHEDULE in config/integrations/celery.py)."""

import logging
from datetime import timedelta
from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import SentEmail
from .services import email_send_once

logger = logging.getLogger(__name__)


@shared_task
def send_email(*, key, subject, body, recipients):
    """Send an email once per `key` (a retry never sends it twice); retried on a mail server's
    transient errors. Whether it was sent now, or found sent before.

    Call it after the transaction that made the email necessary commits, with a key that names
    the email and its occasion: send_email.delay_on_commit(key=f"welcome:{user.pk}", ...).
    """
    sent = email_send_once(key=key, subject=subject, body=body, recipients=recipients)
    if sent:
        logger.info("Email %s sent to %d recipient(s)", key, len(recipients))
    else:
        logger.info("Email %s was sent before; not sent again", key)
    return sent


@shared_task
def clear_expired_sessions():
    """Delete expired sessions from the session store, as `manage.py clearsessions` does."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


@shared_task
def forget_sent_emails():
    """Delete the records of emails sent more than SENT_EMAIL_KEEP_DAYS days ago (by then no
    retry of their task is left); the number deleted."""
    cutoff = timezone.now() - timedelta(days=settings.SENT_EMAIL_KEEP_DAYS)
    deleted, _ = SentEmail.objects.filter(sent_at__lt=cutoff).delete()
    logger.info("Forgot %d sent email(s)", deleted)
    return deleted
