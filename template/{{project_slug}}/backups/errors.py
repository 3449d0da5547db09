"""The one error of the backups app; its message says what went wrong and what was kept."""


class BackupError(Exception):
    """A backup or restore that could not be done; nothing was changed by it."""
