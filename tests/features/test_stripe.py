"""use_stripe: what payments bring to a render, where they register, and their guide as written.

The payments app's own behaviour (verified webhooks, idempotency, ordering, checkout requests)
is tested by its suite in the project (<slug>/payments/tests/), which the suite tier runs.
"""

import json
import secrets

import pytest
import yaml

from ..checks import check_rendered_exactly_when_chosen
from ..markdown_commands import run_docs_page
from ..matrix import variant_params
from ..rendering import after_first_steps, project_environment, python, reader_environment, run
from ..serving import POSTGRES

# What use_stripe brings: a render without it contains none of these, a render with it all.
STRIPE_MARKERS = (
    "stripe",
    "Stripe",
    "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_PRICE_ID",
    "/payments/stripe/webhook/",
    "docs/payments.md",
)
STRIPE_FILES = {
    "config/integrations/stripe.py",
    "config/tests/test_stripe_settings.py",
    "docs/payments.md",
}


def is_stripe_file(name):
    return name in STRIPE_FILES or name.split("/")[1:2] == ["payments"]


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params())
def test_payments_are_rendered_exactly_when_chosen(rendered, variant):
    chosen = "use_stripe" in variant.enabled

    own = check_rendered_exactly_when_chosen(
        rendered(variant),
        chosen,
        markers=STRIPE_MARKERS,
        files=STRIPE_FILES,
        belongs=is_stripe_file,
    )

    assert any(name.endswith("/payments/views.py") for name in own) == chosen
    api = any(name.endswith("/payments/api.py") for name in own)
    assert api == (chosen and "use_drf" in variant.enabled)


# The settings, URLs and checks the payments register, read from the running project.
REGISTRATIONS = """
import json
from django.conf import settings
from django.urls import resolve
print(json.dumps({
    "apps": settings.INSTALLED_APPS,
    "checks": sorted(settings.HEALTH_CHECKS),
    "webhook": resolve("/payments/stripe/webhook/").view_name,
    "api_version": settings.STRIPE_API_VERSION,
    "retries": settings.STRIPE_MAX_NETWORK_RETRIES,
}))
"""


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params(with_feature="use_stripe"))
def test_payments_register_their_app_urls_check_and_production_secrets(rendered, variant):
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

    assert f"{slug}.payments" in registered["apps"]
    assert "stripe" in registered["checks"]
    assert registered["webhook"] == "payments:stripe-webhook"
    assert registered["api_version"] in (project / "docs" / "payments.md").read_text()
    assert registered["retries"] >= 1
    assert refused.returncode != 0
    assert "STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET" in refused.stderr


WITH_THE_API = [
    param
    for param in variant_params(with_feature="use_stripe")
    if "use_drf" in param.values[0].enabled
]


@pytest.mark.fast
@pytest.mark.parametrize("variant", WITH_THE_API)
def test_the_payment_intent_endpoint_is_in_the_schema_marked_third_party(
    rendered, variant, tmp_path
):
    project = rendered(variant, synced=True)
    schema = tmp_path / "schema.json"

    run(
        [python(project), "manage.py", "spectacular", "--format=openapi-json", f"--file={schema}"],
        project,
    )

    operation = json.loads(schema.read_text())["paths"]["/api/v1/payments/payment-intents/"]["post"]
    assert operation["x-third-party"] == "Stripe"


@pytest.mark.suite
@pytest.mark.parametrize("variant", variant_params(with_feature="use_stripe", each_feature=True))
def test_payments_commands_run_as_written(variant, tmp_path):
    project = after_first_steps(variant, tmp_path)
    # A test database of its own: other variants may run the same page at the same time.
    database = f"{POSTGRES}/shipyard_payments_{secrets.token_hex(4)}"

    run_docs_page(project, "docs/payments.md", env=reader_environment(DATABASE_URL=database))
