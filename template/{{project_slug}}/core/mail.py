"""The email backend of a production site that sends no email (EMAIL_URL unset, or
EMAIL_ALLOW_CONSOLE=true): each message becomes one warning line, without its body.

Bodies hold password reset and verification links: anyone reading the logs could use them.
"""

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class UnsentEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            logger.warning(
                "Email not sent (no EMAIL_URL): %r to %d recipient(s)",
                message.subject,
                len(message.recipients()),
            )
        return 0
