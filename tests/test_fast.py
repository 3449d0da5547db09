"""Fast tier: every variant renders clean and passes its static and Django checks.

Each check is a function of a project, so that the update tests run the same checks on a project
that `copier update` brought to today's template (`check_project` runs them all).
"""

import ast
import re
import secrets
import tomllib

import pytest
import yaml

from .conftest import variant_params
from .rendering import project_environment, python, render, run, template_tool
from .variants import LARGEST, VARIANTS

pytestmark = pytest.mark.fast

# Not rendered: made by tools in the project (staticfiles by collectstatic when a test serves it).
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    "staticfiles",
}
# `{{`, `{%` or `{#` that Jinja left behind; `${{` is GitHub Actions' own syntax.
JINJA_LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|\{#")


def rendered_files(project):
    for path in sorted(project.rglob("*")):
        if path.is_file() and not SKIPPED_DIRS.intersection(path.relative_to(project).parts):
            yield path


def is_django_template(path, project):
    """Django HTML/text templates use {% %} and {{ }} themselves; they are never Jinja."""
    return "templates" in path.relative_to(project).parts and path.suffix in {".html", ".txt"}


def check_no_unrendered_jinja(project):
    leftovers = [
        f"{path.relative_to(project)}:{number}: {line.strip()}"
        for path in rendered_files(project)
        if not is_django_template(path, project)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if JINJA_LEFTOVER.search(line)
    ]
    assert leftovers == []
    assert not [p for p in rendered_files(project) if p.suffix == ".jinja"]


@pytest.mark.parametrize("variant", variant_params())
def test_no_unrendered_jinja(rendered, variant):
    check_no_unrendered_jinja(rendered(variant))


def check_every_file_is_tidy(project):
    """No empty files, trailing whitespace, stray blank lines or missing final newline."""
    problems = []
    for path in rendered_files(project):
        name = path.relative_to(project)
        text = path.read_text()
        if not text.strip():
            problems.append(f"{name}: empty")
            continue
        if not text.endswith("\n") or text.endswith("\n\n"):
            problems.append(f"{name}: must end with exactly one newline")
        if text.startswith("\n"):
            problems.append(f"{name}: starts with a blank line")
        if "\r" in text:
            problems.append(f"{name}: carriage return")
        lines = text.splitlines()
        problems += [
            f"{name}:{n}: trailing whitespace"
            for n, line in enumerate(lines, 1)
            if line != line.rstrip()
        ]
        # Python's blank lines are ruff format's business; elsewhere one blank line separates.
        if path.suffix != ".py" and "\n\n\n" in text:
            problems.append(f"{name}: two blank lines in a row")
    assert problems == []


@pytest.mark.parametrize("variant", variant_params())
def test_every_file_is_tidy(rendered, variant):
    check_every_file_is_tidy(rendered(variant))


def check_toml_and_yaml_files_parse(project):
    files = list(rendered_files(project))

    for path in files:
        if path.suffix == ".toml":
            tomllib.loads(path.read_text())
        elif path.suffix in {".yml", ".yaml"}:
            assert yaml.safe_load(path.read_text()) is not None, path
    assert any(p.name == "pyproject.toml" for p in files)


@pytest.mark.parametrize("variant", variant_params())
def test_toml_and_yaml_files_parse(rendered, variant):
    check_toml_and_yaml_files_parse(rendered(variant))


def check_github_workflows_pass_actionlint(project, actionlint):
    workflows = sorted((project / ".github" / "workflows").glob("*.yml"))

    result = actionlint(*workflows)

    assert workflows
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("variant", variant_params())
def test_github_workflows_pass_actionlint(rendered, variant, actionlint):
    check_github_workflows_pass_actionlint(rendered(variant), actionlint)


def check_pre_commit_config_is_valid(project):
    run([template_tool("pre-commit"), "validate-config", ".pre-commit-config.yaml"], project)


@pytest.mark.parametrize("variant", variant_params())
def test_pre_commit_config_is_valid(rendered, variant):
    check_pre_commit_config_is_valid(rendered(variant))


def check_django_system_checks_pass(project):
    run([python(project), "manage.py", "check", "--fail-level", "WARNING"], project)


@pytest.mark.parametrize("variant", variant_params())
def test_django_system_checks_pass(rendered, variant):
    check_django_system_checks_pass(rendered(variant, synced=True))


def check_deploy_checks_pass_with_production_settings(project, variant):
    environment = project_environment(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL="postgres://app:secret@db.internal:5432/app",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=variant.answers["domain_name"],
        ADMIN_URL="staff-area/",
    )

    result = run(
        [python(project), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        project,
        env=environment,
    )

    assert "System check identified no issues (1 silenced)." in result.stdout


@pytest.mark.parametrize("variant", variant_params())
def test_deploy_checks_pass_with_production_settings(rendered, variant):
    check_deploy_checks_pass_with_production_settings(rendered(variant, synced=True), variant)


def check_production_settings_refuse_to_start_without_their_variables(project):
    environment = project_environment(DJANGO_SETTINGS_MODULE="config.settings.production")

    result = run([python(project), "manage.py", "check"], project, env=environment, check=False)

    assert result.returncode != 0
    assert "DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, ADMIN_URL" in result.stderr


@pytest.mark.parametrize("variant", variant_params())
def test_production_settings_refuse_to_start_without_their_variables(rendered, variant):
    check_production_settings_refuse_to_start_without_their_variables(
        rendered(variant, synced=True)
    )


def check_no_model_change_lacks_a_migration(project):
    run([python(project), "manage.py", "makemigrations", "--check", "--dry-run"], project)


@pytest.mark.parametrize("variant", variant_params())
def test_no_model_change_lacks_a_migration(rendered, variant):
    check_no_model_change_lacks_a_migration(rendered(variant, synced=True))


def environment_variables_read(project):
    """Names the project's own code reads from the environment (not its tests or load tests)."""
    names = set()
    for path in rendered_files(project):
        parts = path.relative_to(project).parts
        if path.suffix != ".py" or {"tests", "loadtests"} & set(parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                call = ast.unparse(node.func)
                reads = call in {"env", "os.environ.get", "os.getenv"} or call.startswith("env.")
                if reads and isinstance(node.args[0].value, str):
                    names.add(node.args[0].value)
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                names.add(ast.literal_eval(node.slice))
    return names


def env_example_variables(project):
    lines = (project / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}


def check_env_example_lists_exactly_the_variables_read(project):
    documented = env_example_variables(project)

    read = environment_variables_read(project)

    assert {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"} <= read
    assert sorted(read - documented) == [], "read by the settings but missing from .env.example"
    assert sorted(documented - read) == [], "listed in .env.example but read nowhere"


@pytest.mark.parametrize("variant", variant_params())
def test_env_example_lists_exactly_the_variables_read(rendered, variant):
    check_env_example_lists_exactly_the_variables_read(rendered(variant))


# The longest answers the validators accept: answers land in Python lines, which must stay
# formatted and within the line length whatever a user types.
MAXIMAL_ANSWERS = {
    **LARGEST.answers,
    "project_name": "A Project Name Exactly Fifty Characters Long Here!",
    "project_slug": "a_project_slug_exactly_forty_chars_long_",
    "author_email": "a.rather.long.mailbox.names@mail.department.example-corp.com",
}


def test_ruff_lint_and_format_are_clean_in_every_variant(rendered, tmp_path):
    """One ruff run over all renders (each render's own pyproject.toml configures it)."""
    assert len(MAXIMAL_ANSWERS["project_name"]) == 50
    assert len(MAXIMAL_ANSWERS["project_slug"]) == 40
    assert len(MAXIMAL_ANSWERS["author_email"]) == 60
    projects = [rendered(variant) for variant in VARIANTS]
    projects.append(render(MAXIMAL_ANSWERS, tmp_path / "maximal"))

    check_ruff_lint_and_format_are_clean(*projects)


def check_ruff_lint_and_format_are_clean(*projects):
    ruff = template_tool("ruff")

    lint = run([ruff, "check", "--no-cache", *projects], projects[0].parent, check=False)
    formatting = run(
        [ruff, "format", "--check", "--no-cache", *projects], projects[0].parent, check=False
    )

    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert formatting.returncode == 0, formatting.stdout + formatting.stderr


def check_readme_documents_every_environment_variable(project):
    readme = (project / "README.md").read_text()
    variables = env_example_variables(project)

    undocumented = [name for name in variables if f"| `{name}` |" not in readme]

    assert undocumented == []


# What use_drf brings: a render without it contains none of these, a render with it all of them.
DRF_MARKERS = (
    "rest_framework",
    "djangorestframework",
    "simplejwt",
    "SIMPLE_JWT",
    "spectacular",
    "corsheaders",
    "CORS_ALLOWED_ORIGINS",
    "django_filters",
    "drf_standardized_errors",
    "API_THROTTLE_",
    "EMAIL_VERIFICATION_",
    "FRONTEND_URL",
    "/api/v1/",
    "docs/api.md",
)
DRF_FILES = {"config/integrations/drf.py", "config/tests/test_drf_settings.py", "docs/api.md"}


def is_drf_file(name):
    return name in DRF_FILES or name.split("/")[1:2] == ["api"]


@pytest.mark.parametrize("variant", variant_params())
def test_the_api_is_rendered_exactly_when_chosen(rendered, variant):
    project = rendered(variant)
    files = {
        path.relative_to(project).as_posix(): path.read_text()
        for path in rendered_files(project)
        if path.name != ".copier-answers.yml"
    }

    markers = {marker for text in files.values() for marker in DRF_MARKERS if marker in text}
    drf_files = {name for name in files if is_drf_file(name)}

    if "use_drf" in variant.enabled:
        assert markers == set(DRF_MARKERS)
        assert drf_files >= DRF_FILES
        assert any(name.endswith("/api/views.py") for name in drf_files)
    else:
        assert markers == set()
        assert drf_files == set()


@pytest.mark.parametrize("variant", variant_params(with_feature="use_drf"))
def test_the_openapi_schema_generates_without_warnings(rendered, variant, tmp_path):
    project = rendered(variant, synced=True)

    schema = tmp_path / "schema.yml"
    spectacular = ["spectacular", "--validate", "--fail-on-warn", f"--file={schema}"]

    run([python(project), "manage.py", *spectacular], project)

    assert "/api/v1/auth/token/" in schema.read_text()


@pytest.mark.parametrize("variant", variant_params())
def test_readme_documents_every_environment_variable(rendered, variant):
    check_readme_documents_every_environment_variable(rendered(variant))


def check_project(project, variant, actionlint):
    """Every check of this tier on one synced project of `variant`."""
    check_no_unrendered_jinja(project)
    check_every_file_is_tidy(project)
    check_toml_and_yaml_files_parse(project)
    check_github_workflows_pass_actionlint(project, actionlint)
    check_pre_commit_config_is_valid(project)
    check_django_system_checks_pass(project)
    check_deploy_checks_pass_with_production_settings(project, variant)
    check_production_settings_refuse_to_start_without_their_variables(project)
    check_no_model_change_lacks_a_migration(project)
    check_env_example_lists_exactly_the_variables_read(project)
    check_readme_documents_every_environment_variable(project)
    check_ruff_lint_and_format_are_clean(project)
