"""Never pay twice for the same bytes: variants whose suites read the same files share one run.

`suite_key(project)` hashes every file of a fresh render that the project's own test suite may
read: all of them but its documentation, its CI and its deployment descriptions
(NOT_READ_BY_THE_SUITE). A feature that only adds deployment files (a Dockerfile, an app spec)
leaves the key as its twin without it has, so the two share one run of the suite; anything else
(Python, settings, templates, static files, dependencies, .env.example, scripts) is in the key.
`SuiteRuns` runs a suite once per key, for whichever variant asks first, and hands the others
its result. The commands of a generated page are shared the same way, by `page_key`: the page's
command blocks and the suite key of the project they act on.
"""

import fnmatch
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from filelock import FileLock

from .markdown_commands import command_blocks

# Paths (fnmatch patterns, relative to the project) that no test of the project reads. Each
# pattern's literal part must not appear in the project's tests (see the check below).
NOT_READ_BY_THE_SUITE = (
    ".copier-answers.yml",  # the answers; what they change shows in the other files
    "README.md",
    "docs/*",
    ".github/*",
    ".pre-commit-config.yaml",
    "Dockerfile",
    ".dockerignore",
    "compose.yaml",
    "compose.production.yaml",
    "deploy/*",
    ".do/*",
    "Aptfile",
    ".python-version",  # read by uv, but the suite's uv runs take UV_PYTHON (tests/rendering.py)
)


def read_by_the_suite(name):
    return not any(fnmatch.fnmatch(name, pattern) for pattern in NOT_READ_BY_THE_SUITE)


def suite_key(project):
    """A hash of the names and bytes of every file in `project` that its suite may read.

    Call it on a fresh render: what tests and tools add later (.venv, caches) is not the input."""
    digest = hashlib.sha256()
    for path in sorted(Path(project).rglob("*")):
        name = path.relative_to(project).as_posix()
        if path.is_file() and read_by_the_suite(name):
            digest.update(f"{name}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_key(name, text, key):
    """A hash of what running the page `name` (its Markdown `text`) depends on: the command
    blocks that run, in order, with what they serve, and `key`, the suite key of the project they
    run in. Its prose and its not-run blocks are not in the key: a page that only says more (a
    Docker section whose commands need an engine) runs the same commands."""
    digest = hashlib.sha256(f"{name}\0{key}".encode())
    for block in command_blocks(text, name):
        if block.not_run is None:
            digest.update(f"\0{block.serves}\0{block.code}".encode())
    return digest.hexdigest()[:16]


def check_the_suite_reads_no_file_left_out_of_its_key(project):
    """The project's test code names none of the files the key leaves out."""
    names = [pattern.removesuffix("*") for pattern in NOT_READ_BY_THE_SUITE]
    test_code = [
        path
        for path in Path(project).rglob("*.py")
        if ("tests" in path.relative_to(project).parts or path.name == "conftest.py")
        and ".venv" not in path.relative_to(project).parts
    ]
    mentions = [
        f"{path.relative_to(project)}: {name}"
        for path in test_code
        for name in names
        if name in path.read_text()
    ]

    assert test_code
    assert mentions == [], "the suite reads a file that suite_key leaves out"


@dataclass(frozen=True)
class SuiteRun:
    key: str
    variant: str  # the id of the variant whose project ran the suite
    seconds: float
    failure: str  # what the run printed when it failed; "" when it passed


class SuiteRuns:
    """One suite run per key, shared across xdist workers through files in `root`."""

    def __init__(self, root):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def run_once(self, key, variant, run_suite):
        """The run for `key`: made now by calling `run_suite()` (which returns its seconds or
        raises AssertionError) if no variant made it yet, else the one made before."""
        result = self.root / f"{key}.json"
        with FileLock(str(self.root / f"{key}.lock")):
            if not result.exists():
                try:
                    seconds, failure = run_suite(), ""
                except AssertionError as error:
                    seconds, failure = 0.0, str(error)
                run = SuiteRun(key, variant.id, round(seconds, 2), failure)
                result.write_text(json.dumps(asdict(run)))
            return SuiteRun(**json.loads(result.read_text()))
