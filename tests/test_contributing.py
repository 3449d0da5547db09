"""The contributing checklist works: a throwaway feature added the way it says is complete.

The test copies the template and adds `use_widget` to the copy, following docs/contributing.md:
a question, a `Feature(...)` line, a conditional app and integration module, one guarded line at
every registration point that the core page's table lists, its variables in `.env.example` and
the README, its feature page and its own tests. Then:

- with the feature off, the copy renders byte for byte what this template renders;
- with it on, the copy's own fast tier passes for the new variant (renders, ruff, tidy files,
  Django checks, `.env.example` and README coverage, actionlint, every file named on a feature
  page, the widget's own template checks), its docs site builds, the widget's own tests pass in
  the project, and a slug that would shadow the widget's package is refused.

When a registration point is added to the table, this test needs its recipe, and the reverse.
"""

import os
import re
import shutil
import sys
import textwrap

import copier
import pytest
import yaml

from .checks import project_suite_environment
from .rendering import TEMPLATE_ROOT, python, render, run, sync, template_tool
from .updating import commit_all
from .variants import DEFAULT, LARGEST

SLUG_DIR = "template/{{project_slug}}"
APP_DIR = f"{SLUG_DIR}/{{% if use_widget %}}widget{{% endif %}}"


# --- Editing the copy ----------------------------------------------------------------------------


def edit(repo, name, change):
    path = repo / name
    path.write_text(change(path.read_text()))


def add(repo, name, text):
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))


def guarded(*lines):
    """Lines inside `{%- if use_widget %}...{%- endif %}`, the way the template guards a line."""
    return "\n".join(["{%- if use_widget %}", *lines, "{%- endif %}"])


def before_closing(opener, closing, block):
    """A change that puts `block` on the lines before the `closing` line of the block that
    starts with the line `opener` (exactly one such line)."""

    def change(text):
        lines = text.split("\n")
        starts = [index for index, line in enumerate(lines) if line.startswith(opener)]
        assert len(starts) == 1, f"{len(starts)} lines start with {opener!r}"
        end = lines.index(closing, starts[0])
        return "\n".join([*lines[:end], block, *lines[end:]])

    return change


def appended(block):
    return lambda text: text.rstrip("\n") + "\n" + block + "\n"


def after_last_line_starting(prefix, block):
    def change(text):
        lines = text.split("\n")
        last = max(index for index, line in enumerate(lines) if line.startswith(prefix))
        return "\n".join([*lines[: last + 1], block, *lines[last + 1 :]])

    return change


# --- The throwaway feature, one recipe per registration point ------------------------------------


def question(repo):
    edit(
        repo,
        "copier.yml",
        appended(
            textwrap.dedent("""
            use_widget:
              type: bool
              help: A throwaway feature (tests/test_contributing.py)
              default: false""")
        ),
    )


def matrix_line(repo):
    edit(
        repo,
        "tests/variants.py",
        lambda text: text.replace(
            "FEATURES: tuple[Feature, ...] = (",
            'FEATURES: tuple[Feature, ...] = (\n    Feature("use_widget", (False, True), "widget"),',  # noqa: E501
            1,
        ),
    )
    add(
        repo,
        "tests/features/test_widget.py",
        """
        import pytest

        from ..matrix import variant_params

        pytestmark = pytest.mark.fast


        @pytest.mark.parametrize("variant", variant_params())
        def test_the_widget_is_rendered_exactly_when_chosen(rendered, variant):
            project = rendered(variant)
            chosen = "use_widget" in variant.enabled
            assert (project / "shipyard_demo" / "widget" / "views.py").exists() == chosen
            assert ("WIDGET_GREETING" in (project / ".env.example").read_text()) == chosen
        """,
    )


def installed_apps(repo):
    edit(
        repo,
        "template/config/settings/base.py.jinja",
        before_closing("INSTALLED_APPS = [", "]", guarded('    "{{ project_slug }}.widget",')),
    )


def middleware(repo):
    line = '    "{{ project_slug }}.widget.middleware.WidgetHeaderMiddleware",'
    edit(
        repo,
        "template/config/settings/base.py.jinja",
        before_closing("MIDDLEWARE = [", "]", guarded(line)),
    )


def health_checks(repo):
    line = '    "widget": "{{ project_slug }}.widget.health.Greeting",'
    edit(
        repo,
        "template/config/settings/base.py.jinja",
        before_closing("HEALTH_CHECKS = {", "}", guarded(line)),
    )


def context_processors(repo):
    processor = '"{{ project_slug }}.core.context_processors.project",'
    line = '                "{{ project_slug }}.widget.context_processors.widget",'
    edit(
        repo,
        "template/config/settings/base.py.jinja",
        lambda text: text.replace(processor, f"{processor}\n{guarded(line)}", 1),
    )


def integration_module(repo):
    add(
        repo,
        "template/config/integrations/{% if use_widget %}widget.py{% endif %}",
        """
        \"\"\"The widget: what it greets visitors with.\"\"\"

        from config.env import env

        WIDGET_GREETING = env.str("WIDGET_GREETING", default="Hello")
        """,
    )
    edit(
        repo,
        "template/config/settings/base.py.jinja",
        appended(guarded("from config.integrations.widget import *  # noqa: E402, F403")),
    )


def url_patterns(repo):
    line = '    path("widget/", include("{{ project_slug }}.widget.urls")),'

    # `include` is imported in every project (the account pages use it).
    edit(
        repo, "template/config/urls.py.jinja", before_closing("urlpatterns = [", "]", guarded(line))
    )


def dependencies(repo):
    # Already in every project's lock (botocore needs it): a render syncs from the cache offline.
    edit(
        repo,
        "template/pyproject.toml.jinja",
        before_closing("dependencies = [", "]", guarded('    "python-dateutil>=2.8,<3",')),
    )


def environment_variables(repo):
    edit(
        repo,
        "template/.env.example.jinja",
        appended(
            guarded(
                "",
                "# --- Widget ---",
                "# What the widget greets visitors with.",
                "WIDGET_GREETING=Hello",
            )
        ),
    )
    edit(
        repo,
        "template/README.md.jinja",
        after_last_line_starting("| `BACKUP_", guarded("| `WIDGET_GREETING` | all | `Hello` |")),
    )


def before_line_starting(prefix, block):
    def change(text):
        lines = text.split("\n")
        (index,) = [i for i, line in enumerate(lines) if line.startswith(prefix)]
        return "\n".join([*lines[:index], block, *lines[index:]])

    return change


def production_requirement(repo):
    """WIDGET_KEY: production refuses to start without it; the tests, the production-settings
    tests and CI's deploy check each give it a value."""
    edit(
        repo,
        "template/config/integrations/{% if use_widget %}widget.py{% endif %}",
        appended('WIDGET_KEY = env.str("WIDGET_KEY", default="")'),
    )
    edit(
        repo,
        "template/config/settings/production.py.jinja",
        before_line_starting("missing = ", guarded('REQUIRED_VARIABLES += ("WIDGET_KEY",)')),
    )
    edit(
        repo,
        "template/.env.example.jinja",
        appended(guarded("# The widget's key (required in production).", "WIDGET_KEY=widget-key")),
    )
    edit(
        repo,
        "template/README.md.jinja",
        after_last_line_starting(
            "| `BACKUP_", guarded("| `WIDGET_KEY` | all; required in production | none |")
        ),
    )


def fixed_test_values(repo):
    edit(
        repo,
        "template/config/settings/test.py.jinja",
        appended(guarded('WIDGET_KEY = "widget-test-key"')),
    )


def production_test_environment(repo):
    edit(
        repo,
        "template/config/tests/conftest.py.jinja",
        before_closing(
            "PRODUCTION_ENVIRONMENT = {", "}", guarded('    "WIDGET_KEY": "widget-key",')
        ),
    )


def ci_deploy_check(repo):
    edit(
        repo,
        "template/.github/workflows/ci.yml.jinja",
        before_line_starting(
            "        run: uv run python manage.py check --deploy",
            guarded("          WIDGET_KEY: widget-ci-check"),
        ),
    )


def ci_services(repo):
    service = guarded(
        "      memcached:",
        "        image: memcached:1.6",
        "        ports:",
        "          - 11211:11211",
    )
    edit(
        repo,
        "template/.github/workflows/ci.yml.jinja",
        before_closing("    services:", "    env:", service),
    )


def reserved_names(repo):
    edit(
        repo,
        "includes/reserved_names.jinja",
        lambda text: text.replace('"xmlrpc",', '"xmlrpc", "dateutil",', 1),
    )


def template_docs(repo):
    add(
        repo,
        "docs/features/widget.md",
        """
        # Widget

        A throwaway feature: `use_widget` greets visitors.

        Files: `<slug>/widget/__init__.py`, `<slug>/widget/apps.py`,
        `<slug>/widget/context_processors.py`, `<slug>/widget/health.py`,
        `<slug>/widget/middleware.py`, `<slug>/widget/urls.py`, `<slug>/widget/views.py`,
        `<slug>/widget/tests/__init__.py`, `<slug>/widget/tests/test_views.py` and
        `config/integrations/widget.py`.
        """,
    )
    edit(
        repo,
        "mkdocs.yml",
        lambda text: text.replace(
            "      - DRF API: features/drf.md\n",
            "      - DRF API: features/drf.md\n      - Widget: features/widget.md\n",
        ),
    )
    edit(
        repo,
        "docs/questions.md",
        after_last_line_starting(
            "| `use_", "| `use_widget` | yes/no | no | a boolean | greets visitors at `/widget/` |"
        ),
    )


def the_app(repo):
    add(repo, f"{APP_DIR}/__init__.py", '"""The widget: greets visitors."""\n')
    add(
        repo,
        f"{APP_DIR}/apps.py.jinja",
        """
        from django.apps import AppConfig


        class WidgetConfig(AppConfig):
            name = "{{ project_slug }}.widget"
            verbose_name = "Widget"

            def ready(self):
                from {{ project_slug }}.core import errors
                from {{ project_slug }}.users.signals import password_changed

                from . import views

                errors.register_shape("/widget/", views.error)
                password_changed.connect(views.forget_greeting, dispatch_uid="widget")
        """,
    )
    add(
        repo,
        f"{APP_DIR}/views.py",
        """
        from django.conf import settings
        from django.core.cache import cache
        from django.http import JsonResponse


        def greeting(request):
            return JsonResponse({"greeting": settings.WIDGET_GREETING})


        def error(status, code, message):
            return JsonResponse({"error": code}, status=status)


        def forget_greeting(sender, user, **kwargs):
            cache.delete(f"widget:{user.pk}")
        """,
    )
    add(
        repo,
        f"{APP_DIR}/urls.py",
        """
        from django.urls import path

        from . import views

        urlpatterns = [path("", views.greeting, name="widget-greeting")]
        """,
    )
    add(
        repo,
        f"{APP_DIR}/middleware.py",
        """
        class WidgetHeaderMiddleware:
            def __init__(self, get_response):
                self.get_response = get_response

            def __call__(self, request):
                response = self.get_response(request)
                response["X-Widget"] = "on"
                return response
        """,
    )
    add(
        repo,
        f"{APP_DIR}/context_processors.py",
        """
        from django.conf import settings


        def widget(request):
            return {"widget_greeting": settings.WIDGET_GREETING}
        """,
    )
    add(
        repo,
        f"{APP_DIR}/health.py",
        """
        import dataclasses

        from django.conf import settings
        from health_check.base import HealthCheck
        from health_check.exceptions import ServiceUnavailable


        @dataclasses.dataclass
        class Greeting(HealthCheck):
            def run(self):
                if not settings.WIDGET_GREETING:
                    raise ServiceUnavailable("No greeting")
        """,
    )
    add(repo, f"{APP_DIR}/tests/__init__.py", '"""Tests of the widget."""\n')
    add(
        repo,
        f"{APP_DIR}/tests/test_views.py.jinja",
        """
        import dateutil
        import pytest
        from django.core.cache import cache

        from {{ project_slug }}.users.services import user_change_password
        from {{ project_slug }}.users.tests.factories import UserFactory

        pytestmark = pytest.mark.django_db


        def test_the_widget_greets_with_the_configured_greeting(client, settings):
            settings.WIDGET_GREETING = "Ahoy"

            response = client.get("/widget/")

            assert response.json() == {"greeting": "Ahoy"}
            assert response["X-Widget"] == "on"
            assert dateutil.__name__ == "dateutil"


        def test_errors_under_the_widget_are_json(client):
            assert client.get("/widget/nothing-here/").json() == {"error": "not_found"}
            assert client.get("/nothing-here/")["Content-Type"].startswith("text/html")


        def test_a_new_password_makes_the_widget_forget_the_user(client):
            user = UserFactory()
            cache.set(f"widget:{user.pk}", "Ahoy")

            user_change_password(user=user, password="a new and long passphrase")

            assert cache.get(f"widget:{user.pk}") is None


        def test_pages_know_the_greeting(client, settings):
            settings.WIDGET_GREETING = "Ahoy"

            response = client.get("/")

            assert response.context["widget_greeting"] == "Ahoy"


        def test_the_tests_run_with_a_fixed_widget_key(settings):
            assert settings.WIDGET_KEY == "widget-test-key"


        def test_readiness_fails_without_a_greeting(client, settings):
            assert client.get("/health/ready/").json()["checks"]["widget"]["status"] == "ok"

            settings.WIDGET_GREETING = ""

            response = client.get("/health/ready/")
            assert response.status_code == 503
            assert response.json()["checks"]["widget"]["status"] != "ok"
        """,
    )


def in_its_ready(repo):
    """The widget's app registers its error shape and its signal receiver in its own ready()
    (see `the_app`): no shared file changes."""


# The rows of the registration points table (docs/features/core.md), each with its recipe.
REGISTRATION_POINTS = {
    "`copier.yml`": question,
    "`tests/variants.py`": matrix_line,
    "`config/settings/base.py`, `INSTALLED_APPS`": installed_apps,
    "`config/settings/base.py`, `MIDDLEWARE`": middleware,
    "`config/settings/base.py`, `HEALTH_CHECKS`": health_checks,
    "`config/settings/base.py`, `TEMPLATES` context processors": context_processors,
    "end of `config/settings/base.py`": integration_module,
    "`<slug>/core/errors.py`, `register_shape`": in_its_ready,
    "`<slug>/users/signals.py`, `password_changed`": in_its_ready,
    "`config/urls.py`, `urlpatterns`": url_patterns,
    "`pyproject.toml`": dependencies,
    "`.env.example` and the README's Configuration table": environment_variables,
    "`config/settings/production.py`, `REQUIRED_VARIABLES`": production_requirement,
    "`config/settings/test.py`": fixed_test_values,
    "`config/tests/conftest.py`, `PRODUCTION_ENVIRONMENT`": production_test_environment,
    "`.github/workflows/ci.yml`, `services`": ci_services,
    "`.github/workflows/ci.yml`, the production settings check": ci_deploy_check,
    "`includes/reserved_names.jinja`": reserved_names,
    "`docs/` of the template": template_docs,
}


def registration_table_rows():
    page = (TEMPLATE_ROOT / "docs" / "features" / "core.md").read_text()
    section = page.split("## Registration points", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [row.split(" | ")[0].removeprefix("| ") for row in rows[1:]]  # after the header


def test_this_test_follows_every_registration_point_the_core_page_lists():
    assert registration_table_rows() == list(REGISTRATION_POINTS)


@pytest.fixture
def with_widget(template_today, tmp_path, node_tools):
    """A clone of the template with the widget added through every registration point."""
    repo = template_today.clone(tmp_path / "template").path
    for recipe in REGISTRATION_POINTS.values():
        recipe(repo)
    the_app(repo)
    # The copy's tests use the npm tools this session installed.
    shutil.rmtree(repo / "tests" / "tools" / "node_modules", ignore_errors=True)
    (repo / "tests" / "tools" / "node_modules").symlink_to(node_tools / "node_modules")
    commit_all(repo, "Add the widget")
    return repo


def render_from(repo, answers, destination):
    copier.run_copy(
        str(repo), str(destination), data=answers, defaults=True, quiet=True, vcs_ref="HEAD"
    )
    return destination


def project_files(project):
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file() and path.name != ".copier-answers.yml"
    }


def without_pytest_variables():
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "COV_CORE_"))
    }


def test_a_feature_added_as_the_checklist_says_is_complete_on_and_absent_off(
    with_widget, tmp_path, worker_id
):
    for variant in {DEFAULT.id: DEFAULT, LARGEST.id: LARGEST}.values():
        off = render_from(with_widget, variant.answers, tmp_path / f"off-{variant.id}")
        today = render(variant.answers, tmp_path / f"today-{variant.id}")
        assert project_files(off) == project_files(today), variant.id

    listed = run([sys.executable, "-m", "tests.variants"], with_widget).stdout.split()
    assert "widget" in listed
    assert len(listed) == 2 * len(
        run([sys.executable, "-m", "tests.variants"], TEMPLATE_ROOT).stdout.split()
    )

    fast_tier = run(
        [
            *(sys.executable, "-m", "pytest", "-m", "fast", "--variant", "widget"),
            *("-p", "no:cacheprovider", "-q", "-rA", "--basetemp", tmp_path / "fast-tier"),
        ],
        with_widget,
        env=without_pytest_variables(),
        check=False,
        timeout=900,
    )
    assert fast_tier.returncode == 0, fast_tier.stdout[-6000:] + fast_tier.stderr[-3000:]
    for test in (
        "test_widget.py::test_the_widget_is_rendered_exactly_when_chosen[widget]",
        "test_docs.py::test_every_rendered_file_is_named_on_a_feature_page[widget]",
        "test_fast.py::test_env_example_lists_exactly_the_variables_read[widget]",
        "test_fast.py::test_readme_documents_every_environment_variable[widget]",
        "test_fast.py::test_django_checks_pass_and_no_migration_is_missing[widget]",
    ):
        assert re.search(rf"^PASSED \S*{re.escape(test)}$", fast_tier.stdout, re.M), test

    site = run(
        [template_tool("mkdocs"), "build", "--strict", "--site-dir", tmp_path / "site"],
        with_widget,
        env={**without_pytest_variables(), "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert site.returncode == 0, site.stdout + site.stderr
    assert (tmp_path / "site" / "features" / "widget" / "index.html").exists()

    project = render_from(with_widget, {**DEFAULT.answers, "use_widget": True}, tmp_path / "on")
    sync(project, offline=True)
    own_tests = run(
        [
            *(python(project), "-m", "pytest", "shipyard_demo/widget"),
            # Production's settings with PRODUCTION_ENVIRONMENT, and refused without a variable.
            *("config/tests/test_security.py", "config/tests/test_startup.py", "-q", "-rA"),
            "--no-cov",
        ],
        project,
        env=project_suite_environment("widget", worker_id),
        check=False,
    )
    assert own_tests.returncode == 0, own_tests.stdout + own_tests.stderr
    assert len(re.findall(r"^PASSED shipyard_demo/widget/", own_tests.stdout, re.M)) == 6

    with pytest.raises(ValueError, match="would shadow"):
        render_from(
            with_widget,
            {**DEFAULT.answers, "project_slug": "dateutil", "use_widget": True},
            tmp_path / "shadowing",
        )
    assert not (tmp_path / "shadowing").exists()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["use_widget"] is True
