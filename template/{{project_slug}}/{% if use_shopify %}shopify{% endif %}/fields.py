"""A text field encrypted at rest with the Fernet keys of SHOPIFY_TOKEN_ENCRYPTION_KEYS.

The first key encrypts, every key decrypts (MultiFernet), so keys rotate without a migration:
put the new key first, then save the stores again (`Store.objects.all()` each `.save()`).
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def token_cipher():
    keys = settings.SHOPIFY_TOKEN_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("SHOPIFY_TOKEN_ENCRYPTION_KEYS is not set: tokens stay unsaved.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "SHOPIFY_TOKEN_ENCRYPTION_KEYS holds a key that is not a Fernet key."
        ) from error


class EncryptedTextField(models.TextField):
    """Stored as a Fernet token; read back as the plain text. Empty stays empty."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return token_cipher().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        try:
            return token_cipher().decrypt(value.encode()).decode()
        except InvalidToken as error:
            raise ImproperlyConfigured(
                "A stored Shopify token does not decrypt with SHOPIFY_TOKEN_ENCRYPTION_KEYS."
            ) from error
