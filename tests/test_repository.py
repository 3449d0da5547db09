"""The template repository keeps its promises: the README's commands work from a fresh clone, as
written, and leave it as it was; CI runs the same test command; every release can be found."""

import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from .rendering import TEMPLATE_ROOT, run, template_tool, uv_binary
from .variants import BASE_ANSWERS

pytestmark = pytest.mark.fast

README = (TEMPLATE_ROOT / "README.md").read_text()
CHANGELOG = (TEMPLATE_ROOT / "CHANGELOG.md").read_text()
NEWEST_RELEASE = re.search(r"^## (\d+\.\d+\.\d+) \(", CHANGELOG, flags=re.MULTILINE).group(1)


def quickstart_commands():
    """The shell commands of the README's Quickstart, before its subsections, in order."""
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", quickstart, flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_quickstart_has_one_command_to_make_a_project_and_one_to_test():
    commands = quickstart_commands()

    assert len(commands) == 2
    assert "copier copy" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    test_command = quickstart_commands()[1]
    ci_script = (TEMPLATE_ROOT / ".ci" / "run").read_text()

    assert test_command in ci_script.splitlines()


def test_the_readme_test_command_cannot_rewrite_the_lock_file():
    assert "uv run --locked pytest" in quickstart_commands()[1]


def test_the_lock_file_matches_pyproject():
    """A stale uv.lock is rewritten by `uv run`, which dirties every clone that runs the tests."""
    result = run(
        [uv_binary(), "lock", "--check"], TEMPLATE_ROOT, env=user_environment(), check=False
    )

    assert result.returncode == 0, result.stderr


def test_every_release_in_the_changelog_has_a_version_date_and_commit():
    releases = re.findall(r"^## (\S+) \((\d{4}-\d{2}-\d{2})\)$", CHANGELOG, flags=re.MULTILINE)
    commits = re.findall(r"^Release commit: `([0-9a-f]{7,40})`", CHANGELOG, flags=re.MULTILINE)

    assert releases
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version, _ in releases)
    assert len(commits) == len(releases), "each release records its `Release commit:`"


# --- A fresh clone, as a new user makes it ----------------------------------------------------


def user_environment():
    """A new user's shell: none of the test run's virtual environment or pytest variables."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH"} and not key.startswith("PYTEST_")
    }
    ours = str(Path(sys.prefix) / "bin")
    environment["PATH"] = os.pathsep.join(
        entry for entry in environment["PATH"].split(os.pathsep) if entry != ours
    )
    return environment


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    """A clone of HEAD without tags, as some hosts and `git clone --no-tags` give it."""
    clone = tmp_path_factory.mktemp("fresh") / "django-shipyard"
    run(["git", "clone", "--quiet", "--no-tags", TEMPLATE_ROOT, clone], TEMPLATE_ROOT)
    return clone


def git_status(clone):
    return run(["git", "status", "--porcelain", "--ignored=no"], clone).stdout


def release_tags(clone, *options):
    return run(["python3", "scripts/release_tags.py", *options], clone, check=False)


def test_release_tags_gives_a_clone_every_release_copier_needs(fresh_clone, tmp_path):
    before = release_tags(fresh_clone, "--check")
    added = release_tags(fresh_clone)
    after = release_tags(fresh_clone, "--check")
    project = tmp_path / "project"
    copy = [template_tool("copier"), "copy", "--defaults", "--quiet"]
    run(
        [*copy, *(f"--data={k}={v}" for k, v in BASE_ANSWERS.items()), fresh_clone, project],
        tmp_path,
    )

    assert before.returncode == 1
    assert f"v{NEWEST_RELEASE}: no tag" in before.stderr
    assert added.returncode == 0, added.stderr
    assert after.returncode == 0, after.stderr
    # Copier renders the newest release, as a user of the template's git URL gets it.
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == (
        f"v{NEWEST_RELEASE}"
    )
    assert git_status(fresh_clone) == ""


def test_release_tags_refuses_a_tag_that_is_not_the_recorded_release(tmp_path):
    clone = tmp_path / "clone"
    run(["git", "clone", "--quiet", "--no-tags", TEMPLATE_ROOT, clone], TEMPLATE_ROOT)
    run(["git", "tag", f"v{NEWEST_RELEASE}", "HEAD~1"], clone)

    result = release_tags(clone)

    assert result.returncode == 1
    assert f"v{NEWEST_RELEASE}: the tag points at" in result.stderr


def test_the_readme_test_command_leaves_a_fresh_clone_clean(fresh_clone):
    """Its first steps (install the locked tools, collect the tests) on a clone of HEAD."""
    test_command = quickstart_commands()[1]
    collect = test_command + " --collect-only -q -n 0"

    result = run(["bash", "-euo", "pipefail", "-c", collect], fresh_clone, env=user_environment())

    assert re.search(r"\d+ tests collected", result.stdout), result.stdout
    assert git_status(fresh_clone) == ""
