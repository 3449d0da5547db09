"""The documentation site builds, and keeps up with the template it documents."""

import ast
import fnmatch
import os
import re
import tomllib

import pytest
import yaml

from .matrix import variant_params
from .rendering import TEMPLATE_ROOT, run, template_tool
from .variants import DEFAULT

pytestmark = pytest.mark.fast

DOCS = TEMPLATE_ROOT / "docs"
CHANGELOG = (TEMPLATE_ROOT / "CHANGELOG.md").read_text()
RELEASES = re.findall(r"^## (\d+\.\d+\.\d+) \(", CHANGELOG, flags=re.MULTILINE)


def test_the_site_builds_in_strict_mode(tmp_path):
    """Any warning fails: a broken link or anchor, a page missing from the nav, a bad include."""
    site = tmp_path / "site"
    # Material prints a banner about its future unless told not to; it is not a build warning.
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    result = run(
        [template_tool("mkdocs"), "build", "--strict", "--site-dir", site],
        TEMPLATE_ROOT,
        env=environment,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "index.html").exists()
    assert (site / "features" / "core" / "index.html").exists()
    # docs/changelog.md includes CHANGELOG.md from the repository root.
    changelog_page = (site / "changelog" / "index.html").read_text()
    assert RELEASES
    assert all(version in changelog_page for version in RELEASES)


# --- Every question has its entry ---------------------------------------------------------------

COPIER_KEYS = [
    key
    for key in yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text())
    if not key.startswith("_")
]


def question_rows():
    """{name: cells} for each table row of docs/questions.md whose first cell is a `name`."""
    rows = {}
    for line in (DOCS / "questions.md").read_text().splitlines():
        if match := re.match(r"\| `(\w+)` \|", line):
            cells = re.split(r"(?<!\\)\|", line.strip().removeprefix("|").removesuffix("|"))
            rows[match.group(1)] = [cell.strip() for cell in cells]
    return rows


@pytest.mark.parametrize("question", COPIER_KEYS)
def test_every_question_has_a_row_that_says_its_effect(question):
    rows = question_rows()

    assert question in rows, f"docs/questions.md has no row for `{question}` of copier.yml"
    assert len(rows[question]) >= 2
    assert rows[question][-1], f"the row for `{question}` in docs/questions.md has no effect"


def test_every_documented_question_is_in_copier_yml():
    stale = sorted(set(question_rows()) - set(COPIER_KEYS))

    assert stale == [], "rows in docs/questions.md for keys that copier.yml does not have"


# --- Every file a project can contain is named on a feature page --------------------------------


def names_on_feature_pages():
    """Every `code span` on the pages under docs/features/."""
    names = set()
    for page in (DOCS / "features").glob("*.md"):
        names.update(re.findall(r"`([^`\n]+)`", page.read_text()))
    return names


def template_files(project):
    """The files of a rendered project, as `path/in/the/project` with `<slug>` for the package.

    The shared renders also hold what the tests made in them (.venv, caches, coverage data, a
    local SQLite database, uv.lock); those are left out by the project's own .gitignore patterns
    and by name.
    """
    slug = yaml.safe_load((project / ".copier-answers.yml").read_text())["project_slug"]
    ignored = [
        line.rstrip("/")
        for line in (project / ".gitignore").read_text().splitlines()
        if line and not line.startswith("#")
    ] + ["uv.lock"]
    files = set()
    for path in project.rglob("*"):
        parts = path.relative_to(project).parts
        if not path.is_file() or any(
            fnmatch.fnmatch(part, pattern) for part in parts for pattern in ignored
        ):
            continue
        if parts[0] == slug:
            parts = ("<slug>", *parts[1:])
        files.add("/".join(parts))
    return files


@pytest.mark.parametrize("variant", variant_params())
def test_every_rendered_file_is_named_on_a_feature_page(rendered, variant):
    files = template_files(rendered(variant))

    undocumented = sorted(files - names_on_feature_pages())

    assert files
    assert undocumented == [], (
        "name these files, by their path in the project, on their feature's page under "
        "docs/features/ (`<slug>` for the project package)"
    )


# --- Every release says what an update needs ----------------------------------------------------


def test_every_release_has_a_row_in_the_updating_guide():
    updating = (DOCS / "updating.md").read_text()

    missing = [version for version in RELEASES if f"\n| {version} |" not in updating]

    assert RELEASES
    assert missing == [], "docs/updating.md: add a row to 'What each release needs'"


# --- The core page says what the core project has -----------------------------------------------


def assigned_value(module, name):
    """The literal value assigned to `name` at the top level of a Python file."""
    for node in ast.parse(module.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{module} assigns no {name}")


def core_page_row(first_cell):
    """The `code spans` of a row of the core page's registration points table."""
    page = (DOCS / "features" / "core.md").read_text()
    table = page.split("## Registration points", 1)[1].split("\n## ", 1)[0]
    (row,) = [line for line in table.splitlines() if line.startswith(f"| {first_cell} |")]
    return set(re.findall(r"`([^`]+)`", row))


def test_the_core_page_lists_what_a_core_project_registers(rendered):
    project = rendered(DEFAULT)
    slug = yaml.safe_load((project / ".copier-answers.yml").read_text())["project_slug"]
    base = project / "config" / "settings" / "base.py"
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    requirements = [
        *pyproject["project"]["dependencies"],
        *(entry for group in pyproject["dependency-groups"].values() for entry in group),
    ]

    def documented(values):
        return {value.replace(f"{slug}.", "<slug>.") for value in values}

    apps = documented(assigned_value(base, "INSTALLED_APPS"))
    middleware = documented(assigned_value(base, "MIDDLEWARE"))
    packages = {re.match(r"[\w.-]+", requirement).group() for requirement in requirements}
    required = set(assigned_value(project / "config/settings/production.py", "REQUIRED_VARIABLES"))

    assert apps - core_page_row("`config/settings/base.py`, `INSTALLED_APPS`") == set()
    assert middleware - core_page_row("`config/settings/base.py`, `MIDDLEWARE`") == set()
    assert packages - core_page_row("`pyproject.toml`") == set()
    page = (DOCS / "features" / "core.md").read_text()
    required_sentence = page.split("Required in production:", 1)[1].split("\n\n", 1)[0]
    assert {name for name in required if f"`{name}`" not in required_sentence} == set()
