"""Render variants with Copier, install their dependencies with uv, run commands in them.

Used by the test suite and by bench/. Renders go through Copier's Python API from the absolute
template path (a relative source path in the answers file would break later updates).
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import copier
from filelock import FileLock

from .sharing import suite_key

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
# One uv cache for every render, on the same filesystem as the renders so that uv hardlinks
# packages into each variant's .venv instead of copying them.
UV_CACHE_DIR = Path(os.environ.get("UV_CACHE_DIR") or Path(tempfile.gettempdir()) / "shipyard-uv")
PROJECT_PYTHON = "python3.11"


def render(answers, destination, *, vcs_ref="HEAD"):
    """Render the template (today's working tree at HEAD) into `destination`."""
    with warnings.catch_warnings():
        # Rendering uncommitted template changes is exactly what the tests want.
        warnings.simplefilter("ignore", copier.errors.DirtyLocalWarning)
        copier.run_copy(
            str(TEMPLATE_ROOT),
            str(destination),
            data=answers,
            defaults=True,
            quiet=True,
            vcs_ref=vcs_ref,
        )
    return Path(destination)


# Not passed on to a rendered project's commands: this repo's own venv and settings, and
# PYTHONDONTWRITEBYTECODE, without which each render's .venv keeps the bytecode its first Python
# process compiles (otherwise every Django start-up compiles Django again: about 2 s of CPU).
NOT_PASSED_ON = {"VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE"}


def project_environment(**extra):
    """The environment for a command in a rendered project: ours, minus this repo's venv."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in NOT_PASSED_ON and not key.startswith(("PYTEST_", "COV_CORE_"))
    }
    environ.update(
        UV_CACHE_DIR=str(UV_CACHE_DIR),
        UV_LINK_MODE="hardlink",
        UV_PYTHON=PROJECT_PYTHON,
        UV_PYTHON_DOWNLOADS="never",
        UV_NO_PROGRESS="1",
    )
    environ.update(extra)
    return environ


def sync(project, *, offline=False, environment=None):
    """`uv sync` a rendered project's declared dependencies into its .venv (or into the virtual
    environment at `environment`).

    Offline, uv resolves and installs from the shared cache alone, with no index requests; when
    the cache lacks something a project needs, it syncs online after all."""
    env = project_environment(
        **({"UV_PROJECT_ENVIRONMENT": str(environment)} if environment else {})
    )
    if offline:
        command = [uv_binary(), "sync", "--quiet", "--offline"]
        if run(command, project, env=env, check=False).returncode == 0:
            return
    run([uv_binary(), "sync", "--quiet"], project, env=env)


def dependencies_key(project):
    """A hash of what `uv sync` installs from: the project's pyproject.toml (an application,
    `package = false`: uv installs its dependencies, never the project itself)."""
    return hashlib.sha256((project / "pyproject.toml").read_bytes()).hexdigest()[:16]


def uv_binary():
    from uv import find_uv_bin

    return find_uv_bin()


def run(command, cwd, *, env=None, timeout=600, check=True):
    """Run `command` in `cwd`; on failure, raise with everything it printed."""
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env or project_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"`{' '.join(map(str, command))}` exited {result.returncode} in {cwd}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        )
    return result


class RenderCache:
    """Renders each variant once and installs its dependencies once, shared across xdist workers.

    `root` is a directory every worker of the session sees; a file lock per variant makes the
    first worker that asks do the work and the others wait for it. The first sync of a session
    resolves online (refreshing the shared uv cache); the others sync from the cache offline.
    Each render's suite key (tests/sharing.py) is taken from the fresh render, before any tool
    adds files to it.
    """

    def __init__(self, root):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.timings = {}

    def _lock(self, name):
        return FileLock(str(self.root / f"{name}.lock"))

    def project(self, variant):
        """The rendered project of `variant`."""
        destination = self.root / variant.id
        with self._lock(variant.id):
            if not (destination / ".copier-answers.yml").exists():
                started = time.perf_counter()
                render(variant.answers, destination)
                self._record(variant, "render", time.perf_counter() - started)
                self._suite_key_file(variant).write_text(suite_key(destination))
        return destination

    def suite_key(self, variant):
        """The key of the files the variant's own suite reads (tests/sharing.py)."""
        self.project(variant)
        return self._suite_key_file(variant).read_text()

    def _suite_key_file(self, variant):
        return self.root / f"{variant.id}.suite-key"

    def synced(self, variant):
        """The rendered project of `variant`, with its declared dependencies in .venv.

        Variants that declare the same dependencies (byte-identical pyproject.toml: the Docker
        and App Platform twins of a variant) share one virtual environment, synced by the first
        of them and linked as the others' .venv: uv installs and Python compiles each set of
        packages once per session, not once per variant."""
        destination = self.project(variant)
        key = dependencies_key(destination)
        environment = self.root / "venvs" / key
        environment.parent.mkdir(exist_ok=True)
        with self._lock(f"venv-{key}"):
            if not (environment / ".shipyard-synced").exists():
                started = time.perf_counter()
                resolved = self.root / "resolved-online"
                sync(destination, offline=resolved.exists(), environment=environment)
                shutil.copy2(destination / "uv.lock", environment.with_suffix(".uv.lock"))
                resolved.touch()
                (environment / ".shipyard-synced").touch()
                self._record(variant, "sync", time.perf_counter() - started)
        with self._lock(variant.id):
            if not (destination / ".venv").exists():
                (destination / ".venv").symlink_to(environment, target_is_directory=True)
            if not (destination / "uv.lock").exists():
                shutil.copy2(environment.with_suffix(".uv.lock"), destination / "uv.lock")
        return destination

    def _record(self, variant, step, seconds):
        self.timings.setdefault(variant.id, {})[step] = seconds


def python(project):
    """The interpreter of a synced project."""
    return project / ".venv" / "bin" / "python"


def template_tool(name):
    """A console script installed in the template repo's own environment (ruff, pre-commit)."""
    return Path(sys.executable).parent / name


def reader_environment(**extra):
    """What a reader's shell has: uv on PATH (this suite's), a git identity, nothing of ours."""
    path = f"{Path(uv_binary()).parent}{os.pathsep}{os.environ['PATH']}"
    identity = {
        f"GIT_{role}_{field}": value
        for role in ("AUTHOR", "COMMITTER")
        for field, value in (("NAME", "Ada Reader"), ("EMAIL", "ada@example.com"))
    }
    return project_environment(PATH=path, **identity, **extra)


def fresh_project(variant, tmp_path):
    """The project as Copier makes it (the shared renders hold what other tests made in them)."""
    return render(variant.answers, tmp_path / "project")


def after_first_steps(variant, tmp_path):
    """The project as the README's first steps leave it: locked, synced, migrated."""
    project = fresh_project(variant, tmp_path)
    environment = reader_environment()
    run([uv_binary(), "lock", "--quiet"], project, env=environment)
    run([uv_binary(), "run", "python", "manage.py", "migrate"], project, env=environment)
    return project
