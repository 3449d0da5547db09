"""Every command the template's README and docs show runs as written, in a fresh clone.

tests/markdown_commands.py finds the shell blocks and runs them; each page below starts where its
reader stands (the root of a clone, or a project made from it) and runs its blocks in order, as
typed into one terminal. A block a test cannot run is marked `<!-- not-run: reason -->` in the
page; a page with any other block must be listed in PAGES, or the first test fails.
"""

import pytest

from .markdown_commands import command_blocks, run_page, unmarked_problems
from .rendering import TEMPLATE_ROOT, project_environment, run
from .updating import GIT_IDENTITY, commit_all, git, recorded_releases
from .variants import BASE_ANSWERS

# Where each page's reader starts: the root of a clone of the template, or a project made from it
# (committed, as the page asks) at the newest release ("newest") or the one before today's
# ("last recorded", which the updating guide updates from).
PAGES = {
    "README.md": "clone",
    "docs/index.md": "clone",
    "docs/getting-started.md": "clone",
    "docs/cookiecutter.md": "clone",
    "docs/contributing.md": "clone",
    "docs/questions.md": "project at the newest release",
    "docs/updating.md": "project at the last recorded release",
}


def documentation_pages():
    pages = [TEMPLATE_ROOT / "README.md", *sorted((TEMPLATE_ROOT / "docs").rglob("*.md"))]
    pages += sorted((TEMPLATE_ROOT / "hooks").glob("*.md"))
    return {str(page.relative_to(TEMPLATE_ROOT)): page.read_text() for page in pages}


@pytest.mark.fast
def test_every_command_block_is_run_or_marked_with_a_reason():
    problems = []
    for name, text in documentation_pages().items():
        blocks = command_blocks(text, name)
        problems += unmarked_problems(blocks)
        if name not in PAGES:
            problems += [
                f"{block.source}: neither run (list the page in PAGES) nor marked not-run"
                for block in blocks
                if block.not_run is None
            ]

    assert problems == []


@pytest.fixture
def clone(template_today, tmp_path):
    """A fresh clone of today's template, with every release tagged, in an empty folder."""
    clone = template_today.clone(tmp_path / "django-shipyard").path
    run(["python3", "scripts/release_tags.py"], clone)
    return clone


def project_from(clone, ref, name, destination):
    """A project made from `clone` at `ref` and committed, as the page's reader has one."""
    answers = {**BASE_ANSWERS, "project_name": name}
    copy = ["uvx", "copier", "copy", "--quiet", "--defaults", f"--vcs-ref={ref}"]
    run([*copy, *(f"--data={k}={v}" for k, v in answers.items()), clone, destination], clone)
    git(destination, "init", "--quiet", "--initial-branch=main")
    commit_all(destination, "Project generated from the template")
    return destination


@pytest.mark.suite
@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_runs_as_written(page, clone, tmp_path):
    newest_tag = git(clone, "describe", "--tags", "--abbrev=0").strip()
    last_recorded = f"v{next(iter(recorded_releases()))}"
    start = {
        "clone": lambda: clone,
        "project at the newest release": lambda: project_from(
            clone, newest_tag, "Questions Demo", tmp_path / "questions-demo"
        ),
        "project at the last recorded release": lambda: project_from(
            clone, last_recorded, "Update Demo", tmp_path / "update-demo"
        ),
    }[PAGES[page]]()
    blocks = command_blocks((clone / page).read_text(), page)

    run_page(blocks, start, env=project_environment(**GIT_IDENTITY))

    if PAGES[page] == "clone":
        assert git(clone, "status", "--porcelain") == "", f"{page} left the clone changed"
