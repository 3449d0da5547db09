"""The backup settings (config/integrations/backups.py) read the environment."""

from django.conf import settings


def test_backups_stay_in_the_project_without_a_bucket(load_settings):
    local = load_settings("local")

    assert local.BACKUP_DIR == local.BASE_DIR / "backups"
    assert (local.BACKUP_KEEP_LAST, local.BACKUP_KEEP_DAYS) == (7, 30)
    assert local.BACKUP_S3_BUCKET == ""
    assert local.BACKUP_S3_ENDPOINT_URL is None
    assert (local.BACKUP_S3_CONNECT_TIMEOUT, local.BACKUP_S3_READ_TIMEOUT) == (5, 30)
    assert any(app.endswith(".backups") for app in local.INSTALLED_APPS)


def test_backup_variables_configure_retention_and_the_bucket(load_settings):
    local = load_settings(
        "local",
        BACKUP_DIR="/var/backups/site",
        BACKUP_KEEP_LAST="14",
        BACKUP_KEEP_DAYS="0",
        BACKUP_S3_BUCKET="site-backups",
        BACKUP_S3_PREFIX="nightly",
        BACKUP_S3_ENDPOINT_URL="https://fra1.digitaloceanspaces.com",
        BACKUP_S3_REGION="us-east-1",
        BACKUP_S3_ACCESS_KEY_ID="key-id",
        BACKUP_S3_SECRET_ACCESS_KEY="secret",
        BACKUP_S3_CONNECT_TIMEOUT="2",
        BACKUP_S3_READ_TIMEOUT="7.5",
    )

    assert str(local.BACKUP_DIR) == "/var/backups/site"
    assert (local.BACKUP_KEEP_LAST, local.BACKUP_KEEP_DAYS) == (14, 0)
    assert local.BACKUP_S3_BUCKET == "site-backups"
    assert local.BACKUP_S3_PREFIX == "nightly"
    assert local.BACKUP_S3_ENDPOINT_URL == "https://fra1.digitaloceanspaces.com"
    assert local.BACKUP_S3_REGION == "us-east-1"
    assert local.BACKUP_S3_ACCESS_KEY_ID == "key-id"
    assert local.BACKUP_S3_SECRET_ACCESS_KEY == "secret"
    assert (local.BACKUP_S3_CONNECT_TIMEOUT, local.BACKUP_S3_READ_TIMEOUT) == (2, 7.5)


def test_a_relative_backup_dir_is_taken_from_the_project_directory(load_settings):
    local = load_settings("local", BACKUP_DIR="var/backups")

    assert local.BACKUP_DIR == settings.BASE_DIR / "var" / "backups"
