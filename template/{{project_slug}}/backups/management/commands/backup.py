"""`manage.py backup`: back up the database and the media files, then apply the retention rules."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from ...errors import BackupError
from ...processes import sigterm_raises
from ...services import backup_create, backup_prune
from ...storage import storage_from_settings


class Command(BaseCommand):
    help = (
        "Back up the database and the media files (to BACKUP_S3_BUCKET when it is set, "
        "BACKUP_DIR otherwise), then delete the backups that retention no longer keeps."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-database", action="store_true", help="Leave the database out.")
        parser.add_argument("--no-media", action="store_true", help="Leave the media files out.")
        parser.add_argument(
            "--no-prune", action="store_true", help="Keep every older backup this time."
        )

    def handle(self, *args, no_database, no_media, no_prune, **options):
        try:
            storage = storage_from_settings()
            with sigterm_raises():  # so that pg_dump and the scratch files go with the command
                backup = backup_create(
                    storage=storage, database=not no_database, media=not no_media
                )
        except (BackupError, ImproperlyConfigured, OSError) as error:
            raise CommandError(f"Backup failed: {error}") from error
        self.stdout.write(f"Backup {backup.id} saved in {storage.location}:")
        for name in backup.files:
            self.stdout.write(f"  {name}")
        if not (no_media or backup.file("media")):
            self.stdout.write(f"No media files: {settings.MEDIA_ROOT} does not exist.")
        if no_prune:
            return
        try:
            expired = backup_prune(storage=storage)
        except BackupError as error:
            raise CommandError(f"The backup is saved, but pruning failed: {error}") from error
        for old in expired:
            self.stdout.write(f"Deleted backup {old.id} (older than retention keeps).")
