"""The template repository keeps its promises: the README's commands are the ones CI runs."""

import re

import pytest

from .rendering import TEMPLATE_ROOT

pytestmark = pytest.mark.fast

README = (TEMPLATE_ROOT / "README.md").read_text()


def quickstart_commands():
    """The shell commands in the README's Quickstart section, in order."""
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
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


def test_every_release_in_the_changelog_has_a_version_and_date():
    changelog = (TEMPLATE_ROOT / "CHANGELOG.md").read_text()
    releases = re.findall(r"^## (\S+) \((\d{4}-\d{2}-\d{2})\)$", changelog, flags=re.MULTILINE)

    assert releases
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version, _ in releases)
