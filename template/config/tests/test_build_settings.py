"""The build settings: collecting static files needs no environment variable and no secret."""


def test_build_settings_load_without_any_environment_variable(load_settings):
    build = load_settings("build")

    assert build.DEBUG is False
    assert build.ALLOWED_HOSTS == []
    assert build.SECRET_KEY.startswith("django-insecure")
    assert build.STORAGES["staticfiles"]["BACKEND"].endswith("CompressedManifestStaticFilesStorage")
