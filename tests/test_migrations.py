"""`_migrations`: the scripts in hooks/ that `copier update` runs across a release that renames or
moves an answer or a file (hooks/README.md says how to write one).

Each declared script has cases here, small project trees before and after it, and
`migrate_twice` runs it on each tree twice: it must give the tree after, and change nothing the
second time. A synthetic release shows that a migration declared in the documented form runs
during an update with --trust, and that Copier refuses the update without it.
"""

import re

import copier
import pytest
import yaml

from .rendering import TEMPLATE_ROOT
from .updating import NEXT, Conflicts, conflicts, git, migrate_twice, recorded_answers, update
from .variants import DEFAULT

pytestmark = pytest.mark.fast

HOOKS = TEMPLATE_ROOT / "hooks"
COPIER_YML = TEMPLATE_ROOT / "copier.yml"
SCRIPT = re.compile(r"\{\{ _copier_conf\.src_path \}\}/hooks/(v(\d+)_(\d+)_(\d+)_\w+\.py)")

# {script in hooks/: [(tree before, tree after), ...]}, one entry for every script that
# copier.yml's _migrations declares; a tree is {path in the project: text}.
MIGRATION_CASES = {}


def declared_migrations(config_text):
    return yaml.safe_load(config_text).get("_migrations", [])


def declared_script(migration):
    """The hooks/ script a `_migrations` entry runs, after checking the entry's form."""
    assert set(migration) == {"version", "command", "when"}, migration
    assert migration["when"] in {"{{ _stage == 'before' }}", "{{ _stage == 'after' }}"}
    python, script = migration["command"]
    assert python == "{{ _copier_python }}"
    match = SCRIPT.fullmatch(script)
    assert match, f"{script}: expected {{{{ _copier_conf.src_path }}}}/hooks/vX_Y_Z_<what>.py"
    assert migration["version"] == "v{}.{}.{}".format(*match.groups()[1:]), migration
    return match.group(1)


def test_every_declared_migration_runs_a_script_in_hooks_that_passes_its_cases(tmp_path):
    declared = [declared_script(m) for m in declared_migrations(COPIER_YML.read_text())]
    in_hooks = sorted(path.name for path in HOOKS.glob("v*.py"))

    assert sorted(declared) == in_hooks, "hooks/ and copier.yml's _migrations must name the same"
    assert sorted(MIGRATION_CASES) == in_hooks, "add the script's cases to MIGRATION_CASES"
    for name, cases in MIGRATION_CASES.items():
        for number, (before, after) in enumerate(cases):
            assert migrate_twice(HOOKS / name, before, tmp_path / f"{name}-{number}") == after


def test_a_release_with_a_migration_says_that_updating_needs_trust():
    versions = {m["version"].removeprefix("v") for m in declared_migrations(COPIER_YML.read_text())}
    rows = re.findall(r"^\| (\d+\.\d+\.\d+) \|.*\| (yes|no) \|$", updating_guide(), re.MULTILINE)
    changelog = (TEMPLATE_ROOT / "CHANGELOG.md").read_text()

    assert rows
    for version, trust in rows:
        assert (trust == "yes") == (version in versions), f"docs/updating.md, row {version}"
    for version in versions & {version for version, _ in rows}:
        entry = changelog.split(f"\n## {version} (", 1)[1].split("\n## ", 1)[0]
        assert "--trust" in entry, f"CHANGELOG.md: say that updating to {version} needs --trust"


def updating_guide():
    return (TEMPLATE_ROOT / "docs" / "updating.md").read_text()


# --- The helper that tests a migration script ----------------------------------------------------

# A migration of the kind this mechanism is for, as a release would write it: the question
# `domain_name` is renamed `site_domain`, and the recorded answer must follow.
RENAME_SCRIPT = "v999_1_0_rename_domain_name.py"
RENAME_SOURCE = '''"""The question domain_name is now site_domain: carry the recorded answer over.

Runs before the update, from the project's root; Copier then reads the answers again.
"""

from pathlib import Path

ANSWERS = Path(".copier-answers.yml")

text = ANSWERS.read_text()
if "\\nsite_domain:" not in text:
    ANSWERS.write_text(text.replace("\\ndomain_name:", "\\nsite_domain:"))
'''
RENAME_DECLARATION = f"""_migrations:
  - version: {NEXT}
    command: ["{{{{ _copier_python }}}}", "{{{{ _copier_conf.src_path }}}}/hooks/{RENAME_SCRIPT}"]
    when: "{{{{ _stage == 'before' }}}}"
"""
ANSWERS_BEFORE = "_commit: v999.0.0\ndomain_name: notes.example.org\nproject_name: Notes\n"
ANSWERS_AFTER = "_commit: v999.0.0\nsite_domain: notes.example.org\nproject_name: Notes\n"


def test_migrate_twice_gives_the_tree_a_migration_leaves(tmp_path):
    script = tmp_path / RENAME_SCRIPT
    script.write_text(RENAME_SOURCE)

    after = migrate_twice(script, {".copier-answers.yml": ANSWERS_BEFORE}, tmp_path / "project")

    assert after == {".copier-answers.yml": ANSWERS_AFTER}


def test_migrate_twice_fails_a_migration_that_is_not_idempotent(tmp_path):
    script = tmp_path / "v999_1_0_append.py"
    script.write_text('with open("notes.txt", "a") as notes:\n    notes.write("migrated\\n")\n')

    with pytest.raises(AssertionError, match=r"v999_1_0_append\.py is not idempotent"):
        migrate_twice(script, {"notes.txt": "ours\n"}, tmp_path / "project")


# --- A declared migration during a real update ---------------------------------------------------


def release_renaming_domain_name(repo):
    """Tag NEXT: `domain_name` renamed `site_domain` everywhere, with its migration declared."""
    renamed = [repo.path / "copier.yml", *(repo.path / "includes").glob("*")]
    for path in [*renamed, *(repo.path / "template").rglob("*")]:
        if path.is_file() and "domain_name" in path.read_text():
            path.write_text(path.read_text().replace("domain_name", "site_domain"))
    config = repo.path / "copier.yml"
    config.write_text(config.read_text().replace("_migrations: []\n", RENAME_DECLARATION))
    (repo.path / "hooks" / RENAME_SCRIPT).write_text(RENAME_SOURCE)
    assert declared_script(declared_migrations(config.read_text())[0]) == RENAME_SCRIPT
    repo.release(NEXT)


def test_a_declared_migration_runs_while_updating_with_trust_and_never_without(
    template_repo, tmp_path
):
    project = template_repo.copy(
        {**DEFAULT.answers, "domain_name": "notes.example.org"}, tmp_path / "project"
    )
    release_renaming_domain_name(template_repo)
    head = git(project, "rev-parse", "HEAD")

    with pytest.raises(copier.errors.UnsafeTemplateError, match="migrations"):
        update(project, NEXT)

    assert git(project, "status", "--porcelain") == ""
    assert git(project, "rev-parse", "HEAD") == head

    update(project, NEXT, unsafe=True)

    answers = recorded_answers(project)
    assert conflicts(project) == Conflicts()
    assert answers["_commit"] == NEXT
    assert answers["site_domain"] == "notes.example.org"
    assert "domain_name" not in answers
    assert "ALLOWED_HOSTS: notes.example.org" in (project / ".github/workflows/ci.yml").read_text()
