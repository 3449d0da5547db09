"""The base class of every task (config/celery.py makes it the app's task class).

A task that fails on a transient error (the network, a mail server that hung up, a database
connection that dropped) is retried with exponential backoff and jitter: after about 2, 4, 8, 16
and 32 seconds, each delay a random time up to that, then it fails for good. Other errors fail at
once: retrying a bug does not fix it. A task may set its own `autoretry_for` or `max_retries`.
"""

import smtplib

import celery
from django.db import InterfaceError, OperationalError

# OSError covers connection refusals and resets, timeouts, DNS failures and smtplib's errors.
TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)
# A mail server's definite "no" (bad recipient, sender or credentials): retrying changes nothing.
PERMANENT_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPAuthenticationError,
)


class Task(celery.Task):
    autoretry_for = TRANSIENT_ERRORS
    dont_autoretry_for = PERMANENT_ERRORS
    max_retries = 5
    retry_backoff = 2  # seconds before the first retry, doubled for each next one
    retry_backoff_max = 600
    retry_jitter = True
