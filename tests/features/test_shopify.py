"""use_shopify: what the Shopify app brings to a render, where it registers, and its guide as
written.

The app's own behaviour (OAuth, verified webhooks, the throttled sync, token refresh) is tested
by its suite in the project (<slug>/shopify/tests/), which the suite tier runs.
"""

import json
import secrets

import pytest
import yaml

from ..checks import check_rendered_exactly_when_chosen
from ..markdown_commands import run_docs_page
from ..matrix import variant_params
from ..rendering import after_first_steps, project_environment, python, reader_environment, run
from ..serving import POSTGRES, psql

# What use_shopify brings: a render without it contains none of these, a render with it all.
SHOPIFY_MARKERS = (
    "shopify",
    "Shopify",
    "SHOPIFY_API_KEY",
    "SHOPIFY_API_SECRET",
    "SHOPIFY_SCOPES",
    "SHOPIFY_APP_URL",
    "SHOPIFY_TOKEN_ENCRYPTION_KEYS",
    "/shopify/webhooks/",
    "docs/shopify.md",
)
SHOPIFY_FILES = {
    "config/integrations/shopify.py",
    "config/tests/test_shopify_settings.py",
    "docs/shopify.md",
}


def is_shopify_file(name):
    return name in SHOPIFY_FILES or name.split("/")[1:2] == ["shopify"]


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params())
def test_shopify_is_rendered_exactly_when_chosen(rendered, variant):
    chosen = "use_shopify" in variant.enabled

    own = check_rendered_exactly_when_chosen(
        rendered(variant),
        chosen,
        markers=SHOPIFY_MARKERS,
        files=SHOPIFY_FILES,
        belongs=is_shopify_file,
    )

    assert any(name.endswith("/shopify/views.py") for name in own) == chosen
    api = any(name.endswith("/shopify/api.py") for name in own)
    assert api == (chosen and "use_drf" in variant.enabled)
    tasks = any(name.endswith("/shopify/tasks.py") for name in own)
    assert tasks == (chosen and "use_celery" in variant.enabled)


# The settings, URLs and checks the Shopify app registers, read from the running project.
REGISTRATIONS = """
import json
from django.conf import settings
from django.urls import resolve
print(json.dumps({
    "apps": settings.INSTALLED_APPS,
    "checks": sorted(settings.HEALTH_CHECKS),
    "urls": [
        resolve(f"/shopify/{name}/").view_name for name in ("install", "callback", "webhooks")
    ],
    "api_version": settings.SHOPIFY_API_VERSION,
    "timeout": settings.SHOPIFY_TIMEOUT,
    "schedule": sorted(
        entry["task"] for entry in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).values()
    ),
}))
"""


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params(with_feature="use_shopify"))
def test_shopify_registers_its_app_urls_check_schedule_and_production_secrets(rendered, variant):
    project = rendered(variant, synced=True)
    slug = yaml.safe_load((project / ".copier-answers.yml").read_text())["project_slug"]

    shell = [python(project), "manage.py", "shell", "--command", REGISTRATIONS]
    registered = json.loads(run(shell, project).stdout.splitlines()[-1])
    production = project_environment(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL="postgres://app:secret@db.internal:5432/app",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.com",
        ADMIN_URL="staff-area/",
    )
    refused = run([python(project), "manage.py", "check"], project, env=production, check=False)

    assert f"{slug}.shopify" in registered["apps"]
    assert "shopify" in registered["checks"]
    assert registered["urls"] == ["shopify:install", "shopify:callback", "shopify:webhooks"]
    assert registered["api_version"] in (project / "docs" / "shopify.md").read_text()
    assert registered["timeout"] == [5, 20]
    synced_by_beat = f"{slug}.shopify.tasks.sync_products" in registered["schedule"]
    assert synced_by_beat == ("use_celery" in variant.enabled)
    assert refused.returncode != 0
    assert "SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_TOKEN_ENCRYPTION_KEYS" in refused.stderr


WITH_THE_API = [
    param
    for param in variant_params(with_feature="use_shopify")
    if "use_drf" in param.values[0].enabled
]


@pytest.mark.fast
@pytest.mark.parametrize("variant", WITH_THE_API)
def test_the_shopify_endpoints_are_in_the_schema(rendered, variant, tmp_path):
    project = rendered(variant, synced=True)
    schema = tmp_path / "schema.json"

    run(
        [python(project), "manage.py", "spectacular", "--format=openapi-json", f"--file={schema}"],
        project,
    )

    paths = json.loads(schema.read_text())["paths"]
    assert set(paths["/api/v1/shopify/products/"]) == {"get"}
    assert set(paths["/api/v1/shopify/sync-runs/"]) == {"get"}


@pytest.mark.suite
@pytest.mark.parametrize("variant", variant_params(with_feature="use_shopify", each_feature=True))
def test_shopify_commands_run_as_written(variant, tmp_path):
    project = after_first_steps(variant, tmp_path)
    # A test database of its own: other variants may run the same page at the same time.
    database = f"shipyard_shopify_{secrets.token_hex(4)}"
    psql(f"CREATE DATABASE {database}", project)
    try:
        environment = reader_environment(DATABASE_URL=f"{POSTGRES}/{database}")
        run_docs_page(project, "docs/shopify.md", env=environment)
    finally:
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", project)
