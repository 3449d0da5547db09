"""Template versions in temporary git repositories, and the steps the update tests share.

Update tests work on a snapshot of this repository: a clone (history and tags included, so that the
releases recorded in CHANGELOG.md can be copied from) with today's working tree, uncommitted
changes included, committed on top and tagged TODAY, as Tecnativa/doodba-copier-template does.
A test that needs a later template version changes a clone of the snapshot and tags it NEXT.
"""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import copier
import yaml

from scripts import release_tags

from .checks import project_suite_environment
from .rendering import TEMPLATE_ROOT, project_environment, python, run

# Today's template, and a later version that a test makes from it: far above any real release,
# so that Copier runs every migration declared since the release a test updates from.
TODAY = "v999.0.0"
NEXT = "v999.1.0"

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Shipyard Tests",
    "GIT_AUTHOR_EMAIL": "tests@shipyard.invalid",
    "GIT_COMMITTER_NAME": "Shipyard Tests",
    "GIT_COMMITTER_EMAIL": "tests@shipyard.invalid",
}


def git(cwd, *args, check=True):
    return run(["git", *args], cwd, env=project_environment(**GIT_IDENTITY), check=check).stdout


def commit_all(repository, message, *options):
    git(repository, "add", "--all")
    commit = ["-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", *options]
    git(repository, *commit, "-m", message)


# --- Releases ------------------------------------------------------------------------------------


def recorded_releases():
    """{version: commit} of every release in CHANGELOG.md, newest first, as
    scripts/release_tags.py reads them (it refuses an entry without its `Release commit:`)."""
    changelog = (TEMPLATE_ROOT / "CHANGELOG.md").read_text()
    return {
        tag.removeprefix("v"): commit for tag, commit in release_tags.recorded_releases(changelog)
    }


def release_ref(repository, version):
    """A release in `repository`: its tag where the clone has tags, else its recorded commit."""
    tag = f"v{version}"
    if git(repository, "tag", "--list", tag).strip():
        return tag
    return recorded_releases()[version]


# --- Template versions ---------------------------------------------------------------------------


class TemplateRepo:
    """A git repository of the template, with versions tagged as Copier reads them."""

    def __init__(self, path):
        self.path = Path(path)

    @classmethod
    def snapshot(cls, destination):
        """Clone this repository and commit today's working tree on top, tagged TODAY."""
        git(TEMPLATE_ROOT, "clone", "--quiet", str(TEMPLATE_ROOT), str(destination))
        repo = cls(destination)
        git(repo.path, "rm", "-r", "--quiet", ".")
        listed = git(TEMPLATE_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
        for name in sorted(set(listed.split("\0")) - {""}):
            source = TEMPLATE_ROOT / name
            if source.is_file():
                (repo.path / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, repo.path / name)
        repo.release(TODAY, allow_empty=True)
        return repo

    def clone(self, destination):
        git(self.path, "clone", "--quiet", str(self.path), str(destination))
        return TemplateRepo(destination)

    def release(self, tag, *, allow_empty=False):
        commit_all(self.path, tag, *(["--allow-empty"] if allow_empty else []))
        git(self.path, "tag", tag)

    def questions(self, ref):
        """The names of the questions in copier.yml at `ref`."""
        config = yaml.safe_load(git(self.path, "show", f"{ref}:copier.yml"))
        return {name for name in config if not name.startswith("_")}

    def copy(self, answers, destination, *, ref=TODAY):
        """A project made from the template at `ref`, committed in a git repository of its own."""
        copier.run_copy(
            str(self.path), str(destination), data=answers, defaults=True, quiet=True, vcs_ref=ref
        )
        git(destination, "init", "--quiet", "--initial-branch=main")
        commit_all(destination, "Project generated from the template")
        return Path(destination)


def update(project, ref, **options):
    """`copier update` to the template at `ref`, keeping the recorded answers."""
    copier.run_update(
        str(project), vcs_ref=ref, defaults=True, overwrite=True, quiet=True, **options
    )


def recorded_answers(project):
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


# --- Editing files by their lines ----------------------------------------------------------------


def _line_index(lines, path, prefix):
    found = [index for index, line in enumerate(lines) if line.startswith(prefix)]
    assert len(found) == 1, f"{path}: {len(found)} lines start with {prefix!r}, expected one"
    return found[0]


def insert_after_line(path, prefix, text):
    """Insert `text` after the one line of `path` that starts with `prefix`."""
    lines = path.read_text().splitlines(keepends=True)
    lines.insert(_line_index(lines, path, prefix) + 1, text)
    path.write_text("".join(lines))


def replace_line(path, prefix, text):
    """Replace the one line of `path` that starts with `prefix` with `text`."""
    lines = path.read_text().splitlines(keepends=True)
    lines[_line_index(lines, path, prefix)] = text
    path.write_text("".join(lines))


# --- A team's own edits --------------------------------------------------------------------------

TEAM_SETTING = 'TIME_ZONE = "Europe/Paris"\n'
TEAM_README = "Before a push we run `uv run pytest -x`, which stops at the first failure.\n"
TEAM_DEPENDENCY = '    "markdown>=3.7,<4",\n'


def team_app_files(slug):
    """A small app of the team's own, with its migration and a test, registered in settings."""
    return {
        f"{slug}/notes/__init__.py": '"""Notes: the team\'s own app."""\n',
        f"{slug}/notes/apps.py": (
            "from django.apps import AppConfig\n\n\n"
            "class NotesConfig(AppConfig):\n"
            f'    name = "{slug}.notes"\n'
        ),
        f"{slug}/notes/models.py": (
            "from django.db import models\n\n\n"
            "class Note(models.Model):\n"
            "    title = models.CharField(max_length=200)\n\n"
            "    def __str__(self):\n"
            "        return self.title\n"
        ),
        f"{slug}/notes/migrations/__init__.py": '"""Database migrations of the notes app."""\n',
        f"{slug}/notes/migrations/0001_initial.py": (
            "from django.db import migrations, models\n\n\n"
            "class Migration(migrations.Migration):\n"
            "    initial = True\n\n"
            "    dependencies = []\n\n"
            "    operations = [\n"
            "        migrations.CreateModel(\n"
            '            name="Note",\n'
            "            fields=[\n"
            '                ("id", models.BigAutoField(auto_created=True, primary_key=True, '
            'serialize=False, verbose_name="ID")),\n'
            '                ("title", models.CharField(max_length=200)),\n'
            "            ],\n"
            "        ),\n"
            "    ]\n"
        ),
        f"{slug}/notes/tests/__init__.py": '"""Tests of the notes app."""\n',
        f"{slug}/notes/tests/test_models.py": (
            "import pytest\n\n"
            f"from {slug}.notes.models import Note\n\n\n"
            "@pytest.mark.django_db\n"
            "def test_a_note_reads_as_its_title():\n"
            '    note = Note.objects.create(title="Stand-up")\n\n'
            '    assert str(note) == "Stand-up"\n'
        ),
    }


def make_team_edits(project):
    """What a team does to its project between updates, committed (Copier needs a clean tree).

    A new app, a changed setting, a line of its own in a README section, a new dependency; each
    next to lines that releases rarely touch, so that an update merges it without a conflict.
    """
    slug = recorded_answers(project)["project_slug"]
    for name, text in team_app_files(slug).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    settings = project / "config" / "settings" / "base.py"
    insert_after_line(settings, f'    "{slug}.core",', f'    "{slug}.notes",\n')
    replace_line(settings, "TIME_ZONE = ", TEAM_SETTING)
    insert_after_line(project / "README.md", "Coverage is measured on every run", TEAM_README)
    insert_after_line(project / "pyproject.toml", '    "gunicorn', TEAM_DEPENDENCY)
    commit_all(project, "Our notes app, time zone, README line and Markdown dependency")


def assert_team_edits_kept(project):
    slug = recorded_answers(project)["project_slug"]
    for name, text in team_app_files(slug).items():
        assert (project / name).read_text() == text
    settings = (project / "config" / "settings" / "base.py").read_text()
    assert f'    "{slug}.notes",\n' in settings
    assert TEAM_SETTING in settings
    assert TEAM_README in (project / "README.md").read_text()
    assert TEAM_DEPENDENCY in (project / "pyproject.toml").read_text()


def check_team_tests_pass(project, name, worker_id):
    """The team's own tests pass on PostgreSQL (whose test database every migration builds),
    on their own: the coverage floor is the whole suite's business."""
    slug = recorded_answers(project)["project_slug"]
    command = [python(project), "-m", "pytest", "-p", "no:cacheprovider", "-q", "--no-cov"]
    environment = project_suite_environment(name, worker_id)

    result = run([*command, f"{slug}/notes"], project, env=environment)

    assert "1 passed" in result.stdout, result.stdout


# --- What an update can leave behind -------------------------------------------------------------

MARKER_LINE = re.compile(r"^(<{7}|>{7})( |$)", flags=re.MULTILINE)


@dataclass(frozen=True)
class Conflicts:
    """What `copier update` left for a person to resolve (it exits 0 all the same)."""

    markers: tuple = ()  # files with a <<<<<<< or >>>>>>> line
    unmerged: tuple = ()  # paths git lists as unmerged (UU)
    rejects: tuple = ()  # .rej files: the parts of an edit that did not apply


def conflicts(project):
    listed = git(project, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    files = sorted(set(listed.split("\0")) - {""})
    markers = [
        name
        for name in files
        if (project / name).is_file()
        and MARKER_LINE.search((project / name).read_text(errors="replace"))
    ]
    unmerged = git(project, "diff", "--name-only", "--diff-filter=U", "-z").split("\0")
    rejects = [
        path.relative_to(project).as_posix()
        for path in project.rglob("*.rej")
        if not {".git", ".venv"} & set(path.relative_to(project).parts)
    ]
    return Conflicts(tuple(markers), tuple(sorted(set(unmerged) - {""})), tuple(sorted(rejects)))


# --- Migration scripts (hooks/) ------------------------------------------------------------------


def run_migration(script, project, *, stage="before", version_from="v0.1.0", version_to=TODAY):
    """Run a hooks/ migration script in `project` as Copier does: from the project's root, with
    Copier's interpreter and the variables Copier sets for a migration."""
    variables = {
        "STAGE": stage,
        "VERSION_FROM": version_from,
        "VERSION_TO": version_to,
        "VERSION_PEP440_FROM": version_from.removeprefix("v"),
        "VERSION_PEP440_TO": version_to.removeprefix("v"),
        "COPIER_OPERATION": "update",
    }
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=project,
        env={**os.environ, **variables},
        capture_output=True,
        text=True,
        check=True,
    )


def write_tree(root, files):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def read_tree(root):
    return {
        path.relative_to(root).as_posix(): path.read_text()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def migrate_twice(script, files, workdir, **variables):
    """Run a migration script on a small project tree (`{path: text}`) twice; return the tree the
    first run leaves. Fails when the second run changes anything: a migration must be idempotent,
    since an update that stopped half-way runs it again on a project it has already migrated."""
    workdir.mkdir(parents=True, exist_ok=True)
    write_tree(workdir, files)
    run_migration(script, workdir, **variables)
    once = read_tree(workdir)
    run_migration(script, workdir, **variables)
    twice = read_tree(workdir)
    assert twice == once, f"{Path(script).name} is not idempotent: a second run changed the tree"
    return once
