"""The suite key (tests/sharing.py) changes with every file a suite may read, and only with those;
a suite runs once per key, and the timing summary says which variants shared which run."""

from types import SimpleNamespace

import pytest

from .matrix import variant_params
from .rendering import render
from .sharing import SuiteRuns, page_key, read_by_the_suite, suite_key
from .timings import Summary
from .variants import DEFAULT

pytestmark = pytest.mark.fast

# A small project: what a suite reads, and deployment files and docs that it never reads.
READ = {
    "manage.py": "import django\n",
    "pyproject.toml": '[project]\ndependencies = ["django"]\n',
    ".env.example": "SECRET_KEY=change-me\n",
    "config/settings/base.py": "DEBUG = False\n",
    "shop/core/views.py": "def home(request): ...\n",
    "templates/base.html": "<title>{% block title %}{% endblock %}</title>\n",
    "static/css/site.css": "body { margin: 0; }\n",
    "scripts/backup.sh": "#!/bin/sh\n",
}
NOT_READ = {
    ".copier-answers.yml": "project_name: Shop\n",
    "README.md": "# Shop\n",
    "docs/deployment.md": "# Deployment\n",
    ".github/workflows/ci.yml": "name: CI\n",
    "Dockerfile": "FROM python:3.12-slim\n",
    "compose.yaml": "services: {}\n",
    ".dockerignore": ".venv\n",
    ".do/app.yaml": "name: shop\n",
}


def write(root, files):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_the_key_changes_with_every_file_the_suite_reads(tmp_path):
    project = write(tmp_path / "project", READ)
    key = suite_key(project)

    for name, text in READ.items():
        (project / name).write_text(text + "# changed\n")
        assert suite_key(project) != key, name
        (project / name).write_text(text)
        (project / name).rename(project / f"{name}.moved")
        assert suite_key(project) != key, f"{name} moved"
        (project / f"{name}.moved").rename(project / name)
    write(project, {"shop/core/new.py": "X = 1\n"})
    assert suite_key(project) != key
    (project / "shop/core/new.py").unlink()
    assert suite_key(project) == key


def test_deployment_files_and_docs_leave_the_key_as_it_was(tmp_path):
    """A Docker or DigitalOcean variant shares the suite run of its twin without them."""
    twin = suite_key(write(tmp_path / "twin", READ))

    assert suite_key(write(tmp_path / "deployed", {**READ, **NOT_READ})) == twin
    assert not any(read_by_the_suite(name) for name in NOT_READ)


# The variants with the fewest and the most features, whose files are nearly all any variant has;
# a fresh render of each, since what tests and tools add to the shared renders is no input of the
# key.
@pytest.mark.parametrize("variant", variant_params(fewest_and_most=True))
def test_every_rendered_file_the_suite_may_read_is_in_the_key(renders, variant, tmp_path):
    project = render(variant.answers, tmp_path / "project")
    key = suite_key(project)
    assert renders.suite_key(variant) == key

    files = [path for path in sorted(project.rglob("*")) if path.is_file()]
    for path in files:
        name = path.relative_to(project).as_posix()
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert (suite_key(project) != key) == read_by_the_suite(name), name
        path.write_bytes(original)
    assert any(read_by_the_suite(p.relative_to(project).as_posix()) for p in files)


def test_a_suite_runs_once_per_key_and_a_failure_is_shared_too(tmp_path):
    runs = SuiteRuns(tmp_path)
    calls = []

    def passing():
        calls.append("pass")
        return 1.5

    def failing():
        calls.append("fail")
        raise AssertionError("3 failed")

    first = runs.run_once("a" * 16, DEFAULT, passing)
    again = runs.run_once("a" * 16, DEFAULT, failing)
    failed = runs.run_once("b" * 16, DEFAULT, failing)
    failed_again = runs.run_once("b" * 16, DEFAULT, passing)

    assert calls == ["pass", "fail"]
    assert first == again
    assert (first.variant, first.seconds, first.failure) == (DEFAULT.id, 1.5, "")
    assert failed == failed_again
    assert failed.failure == "3 failed"


def fake_report(variant_id, when="call", duration=1.0, **recorded):
    """A test report as tests/timings.py reads one."""
    properties = [("shipyard_variants", [variant_id])]
    properties += [(f"shipyard_{name}", value) for name, value in recorded.items()]
    return SimpleNamespace(
        when=when, duration=duration, user_properties=properties, keywords={"suite": 1}
    )


def test_the_summary_says_which_variants_shared_which_run():
    summary = Summary()
    key = "0123456789abcdef"

    summary.add(fake_report("drf", timing=("drf", "suite", 20.0), suite=("drf", key, "drf")))
    summary.add(fake_report("drf-docker", suite=("drf-docker", key, "drf")))
    summary.add(fake_report("drf-docker", when="teardown", duration=0.5))
    lines = list(summary.lines())

    assert "suite runs: 1 for 2 variants" in lines
    assert f"  drf's run (key {key}) served drf-docker too" in lines
    assert [line.split() for line in lines if line.startswith("drf-docker ")] == [
        ["drf-docker", "-", "-", "-", "=drf", "1.5", "1.5"]
    ]


PAGE = """# Deploying

1. Set the variables.

```bash
uv run python manage.py migrate
```

<!-- not-run: needs a real host -->
```bash
ssh deploy@example.com
```
"""


def test_a_page_key_changes_with_its_commands_and_the_project_but_not_its_prose():
    key = page_key("docs/deployment.md", PAGE, "suite-a")

    assert page_key("docs/deployment.md", PAGE.replace("the variables", "all"), "suite-a") == key
    assert page_key("docs/deployment.md", PAGE, "suite-b") != key
    assert page_key("docs/operations.md", PAGE, "suite-a") != key
    assert page_key("docs/deployment.md", PAGE.replace("migrate", "check"), "suite-a") != key
    # A block that does not run is not in the key; marking one not-run changes what runs.
    assert page_key("docs/deployment.md", PAGE.replace("ssh deploy", "ssh admin"), "suite-a") == key
    skipped = PAGE.replace("```bash\nuv run", "<!-- not-run: on the server -->\n```bash\nuv run")
    assert page_key("docs/deployment.md", skipped, "suite-a") != key
