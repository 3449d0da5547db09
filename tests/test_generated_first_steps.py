"""A generated project, taken through its README's first steps, passes its own CI.

CI (.github/workflows/ci.yml) installs from the committed uv.lock, which a project only has once
someone runs uv: the README's first command block makes the project a git repository and commits
it. This module runs that block, then every `run:` step of the workflow that can run off GitHub,
job by job and in order, with the workflow's, the job's and the step's environment.
"""

import secrets
import subprocess

import pytest
import yaml

from .markdown_commands import command_blocks, run_page
from .matrix import variant_params
from .rendering import fresh_project, reader_environment, run
from .serving import POSTGRES

pytestmark = pytest.mark.suite

# Steps that need GitHub's runner or the internet, by name, and why they do not run here.
OFF_GITHUB = {
    "Check them for known vulnerabilities": "pip-audit asks an online vulnerability database",
    "Install the PostgreSQL 17 client (pg_dump, pg_restore)": (
        "sudo apt-get on GitHub's runner; this machine has its own PostgreSQL client"
    ),
}


def first_steps(project):
    """The README's first command block: the one that makes uv.lock and commits it."""
    first = command_blocks((project / "README.md").read_text(), "README.md")[0]
    assert "uv lock" in first.code
    assert "git commit" in first.code
    return first


def ci_steps(project):
    """(job, step) for every step of the CI workflow, in order."""
    workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
    return workflow, [(job, step) for job in workflow["jobs"].values() for step in job["steps"]]


def strings(mapping):
    return {name: str(value) for name, value in (mapping or {}).items()}


@pytest.mark.parametrize("variant", variant_params(each_feature=True))
def test_the_first_steps_then_ci_pass(variant, tmp_path):
    project = fresh_project(variant, tmp_path)
    environment = reader_environment()

    run_page([first_steps(project)], project, env=environment)

    assert run(["git", "ls-files", "uv.lock"], project).stdout == "uv.lock\n"
    assert run(["git", "status", "--porcelain"], project).stdout == ""

    workflow, steps = ci_steps(project)
    # The test job's DATABASE_URL names GitHub's service; here, a database of this test's own
    # (pytest-django creates and drops test_<name>).
    database_url = f"{POSTGRES}/shipyard_ci_{secrets.token_hex(4)}"
    ran, skipped = [], []
    for job, step in steps:
        if "run" not in step:
            continue  # an action (`uses:`): checkout, setup-uv
        if step["name"] in OFF_GITHUB:
            skipped.append(step["name"])
            continue
        assert "${{" not in step["run"], f"{step['name']}: a GitHub expression cannot run here"
        step_environment = {
            **environment,
            **strings(workflow.get("env")),
            **strings(job.get("env")),
            **({"DATABASE_URL": database_url} if "DATABASE_URL" in (job.get("env") or {}) else {}),
            **strings(step.get("env")),
        }
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=project,
            env=step_environment,
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
        )
        assert result.returncode == 0, (
            f"CI step {step['name']!r} exited {result.returncode}:\n{step['run']}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        )
        ran.append(step["name"])

    assert sorted(skipped) == sorted(OFF_GITHUB), "OFF_GITHUB names a step CI no longer has"
    assert "Test" in ran
    assert "Check the production settings" in ran
