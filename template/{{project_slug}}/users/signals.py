"""The signals the users app sends, for the parts of the project that act on account events.

password_changed(sender=User, user=...): users.services set a new password (a change, or a reset
through an emailed link). The API connects to it to revoke the user's tokens.
"""

from django.dispatch import Signal

password_changed = Signal()
