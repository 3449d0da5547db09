from django.db import models


class SentEmail(models.Model):
    """An email that went out, by the key its sender gave it: a retried or redelivered task finds
    its key here and does not send the email again. Rows older than SENT_EMAIL_KEEP_DAYS are
    deleted every day (tasks.forget_sent_emails)."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.key
