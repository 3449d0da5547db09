"""Writes of the jobs app: sending an email at most once per key."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import SentEmail


def email_send_once(*, key, subject, body, recipients):
    """Send the email unless one with `key` was sent before; whether it was sent now.

    The key is recorded in the same transaction as the send: if sending fails, nothing is
    recorded and a retry sends it; once it is sent, a retry or a second delivery of the task
    finds the key and sends nothing (two deliveries at once: the second waits for the first's
    row, then finds it). Only a crash between the mail server's answer and the commit can send
    it twice.
    """
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key)
            send_mail(subject, body, from_email=None, recipient_list=recipients)
    except IntegrityError:
        return False
    return True
