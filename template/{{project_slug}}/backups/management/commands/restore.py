"""`manage.py restore`: restore a backup's database and media files, verified before anything."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from ...errors import BackupError
from ...processes import sigterm_raises
from ...selectors import backup_list
from ...services import backup_restore
from ...storage import storage_from_settings


class Command(BaseCommand):
    help = (
        "Restore a backup (from BACKUP_S3_BUCKET when it is set, BACKUP_DIR otherwise). Its "
        "checksums are verified first; a database with tables or a media directory with files "
        "is replaced only with --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "backup", nargs="?", help='The backup\'s id (such as 20261125T030000Z) or "latest".'
        )
        parser.add_argument("--list", action="store_true", help="List the backups, newest first.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the tables of a database that has some, and the files in MEDIA_ROOT.",
        )
        parser.add_argument(
            "--no-database", action="store_true", help="Leave the database as it is."
        )
        parser.add_argument(
            "--no-media", action="store_true", help="Leave the media files as they are."
        )

    def handle(self, *args, backup, force, no_database, no_media, **options):
        try:
            storage = storage_from_settings()
            if options["list"]:
                self._list(storage)
                return
            if not backup:
                raise CommandError('Name the backup to restore, or "latest"; --list shows them.')
            with sigterm_raises():  # so that pg_restore and the scratch files go with the command
                restored = backup_restore(
                    backup_id=backup,
                    storage=storage,
                    database=not no_database,
                    media=not no_media,
                    force=force,
                )
        except (BackupError, ImproperlyConfigured, OSError) as error:
            raise CommandError(f"Restore failed: {error}") from error
        self.stdout.write(f"Restored from {storage.location}: {', '.join(restored)}.")

    def _list(self, storage):
        backups = backup_list(storage=storage)
        if not backups:
            self.stdout.write(f"No backups in {storage.location}.")
        for backup in backups:
            parts = [name for name in (backup.file("db"), backup.file("media")) if name]
            self.stdout.write(f"{backup.id}  {' '.join(parts)}")
