"""Every shell command block of a generated project's README.md and docs/*.md runs as written.

Each page of each variant runs in a project of its own, rendered afresh, in the state and with the
environment its reader has: the README on a project fresh from Copier; the other pages on a
project that went through the README's first steps (uv.lock, a migrated database), deployment.md
with the production variables it tells the reader to set and a fresh PostgreSQL database. Blocks
marked not-run say why on the page (see tests/markdown_commands.py).

Never twice for the same bytes: variants whose page has the same commands and whose project has
the same suite key (tests/sharing.py) share one run of that page, as their suites share one run.
What each variant's page says in prose is still checked for every variant.
"""

import re
import secrets
import time

import pytest

from .markdown_commands import command_blocks, run_docs_page, run_page, unmarked_problems
from .matrix import variant_params
from .rendering import after_first_steps, fresh_project, reader_environment, run, uv_binary
from .serving import POSTGRES, fresh_database
from .sharing import page_key
from .timings import record_note

# The pages a reader runs commands from; a new page needs its reader's setup below.
PAGES = (
    "README.md",
    "docs/deployment.md",
    "docs/operations.md",
    "docs/api.md",
    "docs/celery.md",
    "docs/payments.md",
    "docs/shopify.md",
)


def run_page_once(page, variant, renders, docs_runs, record_property, run_it):
    """Run `run_it()` for `variant`'s `page`, unless a variant with the same page key did."""

    def timed():
        started = time.perf_counter()
        run_it()
        return time.perf_counter() - started

    text = (renders.project(variant) / page).read_text()
    key = page_key(page, text, renders.suite_key(variant))
    run = docs_runs.run_once(key, variant, timed)
    if run.variant != variant.id:
        record_note(record_property, variant, f"{page}: shared the run of {run.variant}")
    assert run.failure == "", f"{page} of {run.variant} (key {run.key}):\n{run.failure}"


def pages_of(project):
    return sorted(
        path.relative_to(project).as_posix()
        for path in [project / "README.md", *(project / "docs").glob("*.md")]
    )


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params())
def test_every_page_with_commands_is_run_and_every_skip_has_a_reason(rendered, variant):
    project = rendered(variant)

    pages = pages_of(project)
    blocks = [
        block for page in pages for block in command_blocks((project / page).read_text(), page)
    ]

    assert set(pages) <= set(PAGES), "a new page: give its reader's setup in this module"
    assert unmarked_problems(blocks) == []


@pytest.mark.suite
@pytest.mark.parametrize("variant", variant_params(each_feature=True))
def test_readme_commands_run_as_written(variant, tmp_path, renders, docs_runs, record_property):
    def run_it():
        project = fresh_project(variant, tmp_path)
        run_page(
            command_blocks((project / "README.md").read_text(), "README.md"),
            project,
            env=reader_environment(),
        )
        assert (project / "uv.lock").exists()
        assert run(["git", "status", "--porcelain"], project).stdout == ""

    run_page_once("README.md", variant, renders, docs_runs, record_property, run_it)


def production_variables(variant, database):
    """What step 1 of deployment.md tells the reader to set, and nothing else."""
    domain = variant.answers["domain_name"]
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{domain},www.{domain}",
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "ADMIN_URL": "staff-7f3k/",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    }


def with_feature_variables(project, required):
    """`required`, and what chosen features add to step 1's required list, each set to its
    placeholder in .env.example (a provider's test-mode key, say)."""
    step_1 = (project / "docs" / "deployment.md").read_text().partition("\n2. ")[0]
    listed = re.findall(r"^   - `(\w+)`", step_1.partition("Recommended:")[0], re.MULTILINE)
    lines = (project / ".env.example").read_text().splitlines()
    example = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return {**{name: example[name] for name in listed if name not in required}, **required}


@pytest.mark.suite
@pytest.mark.parametrize("variant", variant_params(each_feature=True))
def test_deployment_commands_run_as_written(variant, tmp_path, renders, docs_runs, record_property):
    page = (renders.project(variant) / "docs" / "deployment.md").read_text()
    step_1 = page.partition("\n2. ")[0]
    assert [name for name in production_variables(variant, "") if f"- `{name}" not in step_1] == []

    def run_it():
        project = fresh_project(variant, tmp_path)
        run([uv_binary(), "lock", "--quiet"], project, env=reader_environment())
        with fresh_database(project, "shipyard_deploy") as database:
            required = with_feature_variables(project, production_variables(variant, database))
            run_docs_page(project, "docs/deployment.md", env=reader_environment(**required))
        assert (project / "staticfiles" / "staticfiles.json").exists()

    run_page_once("docs/deployment.md", variant, renders, docs_runs, record_property, run_it)


@pytest.mark.suite
@pytest.mark.parametrize("variant", variant_params(each_feature=True))
def test_operations_commands_run_as_written(variant, tmp_path, renders, docs_runs, record_property):
    def run_it():
        project = after_first_steps(variant, tmp_path)
        upload = project / "media" / "avatars" / "ada.png"
        upload.parent.mkdir(parents=True)
        upload.write_bytes(b"an uploaded file")

        def oldest_backup(_output):
            return min(path.name[3:19] for path in (project / "backups").glob("db-*"))

        run_docs_page(
            project,
            "docs/operations.md",
            env=reader_environment(),
            placeholders={"<BACKUP_ID>": oldest_backup},
        )
        assert upload.read_bytes() == b"an uploaded file"

    run_page_once("docs/operations.md", variant, renders, docs_runs, record_property, run_it)
