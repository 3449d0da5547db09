"""Production without an email server: messages are not sent, and their bodies never logged."""

import logging

from django.core import mail

from ..mail import UnsentEmailBackend


def test_an_unsent_message_is_logged_without_its_body(caplog):
    message = mail.EmailMessage(
        "Reset your password",
        "https://example.com/reset-password?token=s3cret-reset-token",
        to=["someone@example.com"],
    )

    with caplog.at_level(logging.WARNING):
        sent = UnsentEmailBackend().send_messages([message])

    assert sent == 0
    assert "'Reset your password' to 1 recipient(s)" in caplog.text
    assert "s3cret-reset-token" not in caplog.text
    assert "someone@example.com" not in caplog.text
