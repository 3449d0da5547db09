"""The checks a rendered project passes, each a function of the project.

The fast tier runs them on every variant (tests/test_fast.py); the update tests run some of them
on a project that `copier update` brought to today's template (tests/test_update.py).
"""

import ast
import hashlib
import re
import secrets
import time
import tomllib

import yaml

from .rendering import project_environment, python, run, template_tool

# Not rendered: made by tools in the project (staticfiles by collectstatic when a test serves it,
# db.sqlite3 by a Django command with local settings, .coverage by the project's suite), perhaps
# on another xdist worker meanwhile: a variant's tests do not always share one worker.
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    "staticfiles",
    "db.sqlite3",
    ".coverage",
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
    assert problems == [], "\n".join(problems)


def check_toml_and_yaml_files_parse(project):
    files = list(rendered_files(project))

    for path in files:
        if path.suffix == ".toml":
            tomllib.loads(path.read_text())
        elif path.suffix in {".yml", ".yaml"}:
            assert yaml.safe_load(path.read_text()) is not None, path
    assert any(p.name == "pyproject.toml" for p in files)


def check_github_workflows_pass_actionlint(actionlint, *projects):
    """One actionlint run over the workflows of every project given (each run starts slowly)."""
    workflows = [
        path
        for project in projects
        for path in sorted((project / ".github" / "workflows").glob("*.yml"))
    ]

    result = actionlint(*workflows)

    assert {path.parents[2] for path in workflows} == set(projects), "a project has no workflow"
    assert result.returncode == 0, result.stdout + result.stderr


def check_pre_commit_config_is_valid(project):
    run([template_tool("pre-commit"), "validate-config", ".pre-commit-config.yaml"], project)


# `manage.py check --fail-level WARNING` and `makemigrations --check --dry-run` in one Django
# start-up (the slowest part of either): a failed check or a missing migration exits non-zero.
CHECK_AND_MAKEMIGRATIONS = (
    "from django.core.management import call_command; "
    "call_command('check', fail_level='WARNING'); "
    "call_command('makemigrations', check=True, dry_run=True)"
)


def check_django_checks_pass_and_no_migration_is_missing(project):
    command = [python(project), "manage.py", "shell", "--command", CHECK_AND_MAKEMIGRATIONS]

    result = run(command, project)

    assert "System check identified no issues" in result.stdout
    assert "No changes detected" in result.stdout


def feature_secrets(project):
    """What production requires beyond the core's variables, with a value for each: the names a
    feature adds (`REQUIRED_VARIABLES += (...)` in config/settings/production.py), each with its
    placeholder in .env.example (test-mode ones, that call no third party)."""
    module = ast.parse((project / "config" / "settings" / "production.py").read_text())
    names = [
        name
        for node in module.body
        if isinstance(node, ast.AugAssign) and ast.unparse(node.target) == "REQUIRED_VARIABLES"
        for name in ast.literal_eval(node.value)
    ]
    lines = (project / ".env.example").read_text().splitlines()
    examples = dict(line.split("=", 1) for line in lines if re.match(r"[A-Z][A-Z0-9_]*=", line))
    values = {name: examples.get(name, "") for name in names}
    assert all(values.values()), f"required, with no placeholder in .env.example: {values}"
    return values


def check_deploy_checks_pass_with_production_settings(project, variant):
    environment = project_environment(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL="postgres://app:secret@db.internal:5432/app",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=variant.answers["domain_name"],
        ADMIN_URL="staff-area/",
        EMAIL_URL="smtp+tls://app:secret@smtp.example.com:587",
        **feature_secrets(project),
    )

    result = run(
        [python(project), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        project,
        env=environment,
    )

    assert "System check identified no issues (1 silenced)." in result.stdout


def check_production_settings_refuse_to_start_without_their_variables(project):
    environment = project_environment(DJANGO_SETTINGS_MODULE="config.settings.production")

    result = run([python(project), "manage.py", "check"], project, env=environment, check=False)

    assert result.returncode != 0
    assert "DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, ADMIN_URL" in result.stderr


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


def check_readme_documents_every_environment_variable(project):
    readme = (project / "README.md").read_text()
    variables = env_example_variables(project)

    undocumented = [name for name in variables if f"| `{name}` |" not in readme]

    assert undocumented == []


def check_ruff_lint_and_format_are_clean(*projects):
    ruff = template_tool("ruff")

    lint = run([ruff, "check", "--no-cache", *projects], projects[0].parent, check=False)
    formatting = run(
        [ruff, "format", "--check", "--no-cache", *projects], projects[0].parent, check=False
    )

    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert formatting.returncode == 0, formatting.stdout + formatting.stderr


def project_suite_environment(name, worker_id, services=()):
    """The environment of a project's own pytest: a PostgreSQL database per `name`, per worker
    and per run, so that concurrent runs on one server never meet (pytest-django creates and
    drops test_<database>), and `services`, the (VARIABLE, value) pairs of the other services on
    this machine that the variant's suite needs (a variant's suite_environment)."""
    digest = hashlib.sha1(name.encode()).hexdigest()[:10]  # noqa: S324 (a name, not a secret)
    database = f"shipyard_{digest}_{worker_id}_{secrets.token_hex(3)}"
    return project_environment(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}", **dict(services)
    )


def check_project_suite_passes(project, name, worker_id, services=()):
    """Run a synced project's own pytest against PostgreSQL (and `services`, as for
    project_suite_environment); return how long it took."""
    started = time.perf_counter()
    result = run(
        [python(project), "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        project,
        env=project_suite_environment(name, worker_id, services),
        timeout=1200,
    )

    assert "Required test coverage of 90" in result.stdout
    assert " passed" in result.stdout
    assert " failed" not in result.stdout
    return time.perf_counter() - started


def rendered_texts(project):
    """{path in the project: text} of every rendered file but the answers file."""
    return {
        path.relative_to(project).as_posix(): path.read_text()
        for path in rendered_files(project)
        if path.name != ".copier-answers.yml"
    }


def check_rendered_exactly_when_chosen(project, chosen, *, markers, files, belongs):
    """A feature leaves its traces in a render exactly when its answer is yes.

    With it, every one of `markers` (strings only the feature writes: its names, variables,
    paths) appears in some rendered file and every one of `files` exists; without it, no marker
    appears anywhere and no file `belongs(name)` to it. Returns the render's files that belong
    to the feature, for a feature's own further checks."""
    texts = rendered_texts(project)
    found = {marker for text in texts.values() for marker in markers if marker in text}
    own = {name for name in texts if belongs(name)}

    if chosen:
        assert sorted(set(markers) - found) == [], "missing from a render with the feature"
        assert sorted(set(files) - own) == [], "files missing from a render with the feature"
    else:
        traces = {marker: [n for n, t in texts.items() if marker in t] for marker in found}
        assert traces == {}, "traces of the feature in a render without it"
        assert sorted(own) == [], "files of the feature in a render without it"
    return own
