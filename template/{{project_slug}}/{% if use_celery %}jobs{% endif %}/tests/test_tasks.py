"""The tasks, run in the test process (CELERY_TASK_ALWAYS_EAGER), retries included."""

import smtplib
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from ..models import SentEmail
from ..tasks import clear_expired_sessions, forget_sent_emails, send_email

WELCOME = {
    "key": "welcome:42",
    "subject": "Welcome",
    "body": "Glad you are here.",
    "recipients": ["ada@example.com"],
}


@pytest.fixture
def mail_server(monkeypatch):
    """The test mail backend, failing with the errors in `mail_server.failures` first, in turn."""

    class Server:
        failures = []
        attempts = 0

    send_messages = EmailBackend.send_messages

    def failing_send(backend, messages):
        Server.attempts += 1
        if Server.failures:
            raise Server.failures.pop(0)
        return send_messages(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", failing_send)
    return Server


@pytest.mark.django_db
def test_an_email_is_sent_once_per_key(mail_server):
    first = send_email.delay(**WELCOME)
    again = send_email.delay(**WELCOME)

    assert (first.get(), again.get()) == (True, False)
    assert [(m.subject, m.to) for m in mail.outbox] == [("Welcome", ["ada@example.com"])]
    assert SentEmail.objects.get().key == "welcome:42"


@pytest.mark.django_db
def test_a_transient_mail_server_error_is_retried_until_it_is_sent(mail_server):
    mail_server.failures = [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        ConnectionRefusedError(111, "Connection refused"),
    ]

    result = send_email.delay(**WELCOME)

    assert result.get() is True
    assert mail_server.attempts == 3
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_mail_server_that_stays_down_fails_the_task_after_its_retries(mail_server):
    mail_server.failures = [TimeoutError("timed out")] * (send_email.max_retries + 1)

    result = send_email.delay(**WELCOME)

    with pytest.raises(TimeoutError):
        result.get()

    assert mail_server.attempts == send_email.max_retries + 1
    assert mail.outbox == []
    assert not SentEmail.objects.exists()  # a later run may still send it


@pytest.mark.django_db
def test_a_refused_recipient_is_not_retried(mail_server):
    refused = {"ada@example.com": (550, b"No such user")}
    mail_server.failures = [smtplib.SMTPRecipientsRefused(refused)]

    result = send_email.delay(**WELCOME)

    with pytest.raises(smtplib.SMTPRecipientsRefused):
        result.get()

    assert mail_server.attempts == 1
    assert not SentEmail.objects.exists()


@pytest.mark.django_db
def test_expired_sessions_are_cleared():
    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now)
    Session.objects.create(session_key="current", session_data="", expire_date=now + timedelta(1))

    clear_expired_sessions.delay()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]


@pytest.mark.django_db
def test_sent_email_keys_are_forgotten_after_their_days(settings):
    settings.SENT_EMAIL_KEEP_DAYS = 7
    SentEmail.objects.create(key="old")
    SentEmail.objects.create(key="recent")
    SentEmail.objects.filter(key="old").update(sent_at=timezone.now() - timedelta(days=8))

    assert forget_sent_emails.delay().get() == 1
    assert list(SentEmail.objects.values_list("key", flat=True)) == ["recent"]
