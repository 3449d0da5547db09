"""`copier update`: the team's edits survive, the release arrives, and no conflict goes unseen.

Copier exits 0 even when it leaves conflicts, so every update here also compares what it left
(conflict markers, unmerged paths, .rej files) with what the test expects, most often nothing.
Template versions live in temporary git repositories (tests/updating.py): TODAY is this working
tree, NEXT a release that a test makes from it. The fast tier updates between those; the suite
tier updates a project made from the last recorded release of this repository to TODAY.
"""

from pathlib import Path

import copier
import pytest
import yaml

from .checks import check_django_checks_pass_and_no_migration_is_missing
from .rendering import (
    TEMPLATE_ROOT,
    project_environment,
    render,
    run,
    sync,
    template_tool,
    uv_binary,
)
from .updating import (
    GIT_IDENTITY,
    NEXT,
    TEAM_SETTING,
    TODAY,
    Conflicts,
    assert_team_edits_kept,
    check_team_tests_pass,
    commit_all,
    conflicts,
    git,
    insert_after_line,
    make_team_edits,
    recorded_answers,
    recorded_releases,
    release_ref,
    replace_line,
    update,
)
from .variants import DEFAULT, FEATURES, LARGEST

SETTINGS = "config/settings/base.py"

# --- The release NEXT: today's template, changed in the files the team edits too -----------------

NEXT_SETTING = "SESSION_COOKIE_AGE = 60 * 60 * 24 * 14  # two weeks\n"
NEXT_DEPENDENCY = '    "django-csp>=4,<5",\n'
NEXT_README = "\n## Support\n\nAsk the platform team in #shipyard-help.\n"
NEXT_PAGE = "# Support\n\nThe platform team answers in #shipyard-help.\n"
NEXT_TIME_ZONE = 'TIME_ZONE = "Etc/UTC"\n'


def release_next(repo, *, conflicting=False):
    """Tag NEXT: a new setting, dependency, README section and page; with `conflicting`, also a
    new value on the line where the team changed the time zone."""
    template = repo.path / "template"
    settings = template / "config" / "settings" / "base.py.jinja"
    insert_after_line(settings, "SECURE_CROSS_ORIGIN_OPENER_POLICY = ", NEXT_SETTING)
    insert_after_line(template / "pyproject.toml.jinja", '    "django>=', NEXT_DEPENDENCY)
    with (template / "README.md.jinja").open("a") as readme:
        readme.write(NEXT_README)
    (template / "docs" / "support.md").write_text(NEXT_PAGE)
    if conflicting:
        replace_line(settings, "TIME_ZONE = ", NEXT_TIME_ZONE)
    repo.release(NEXT)


def assert_next_arrived(project):
    assert recorded_answers(project)["_commit"] == NEXT
    assert NEXT_SETTING in (project / SETTINGS).read_text()
    assert NEXT_DEPENDENCY in (project / "pyproject.toml").read_text()
    assert (project / "README.md").read_text().endswith(NEXT_README)
    assert (project / "docs" / "support.md").read_text() == NEXT_PAGE


@pytest.fixture
def team_project(template_repo, tmp_path):
    """A project made from TODAY, with the team's own edits committed."""
    project = template_repo.copy(DEFAULT.answers, tmp_path / "project")
    make_team_edits(project)
    return project


def git_state(project):
    """What a refused update must leave as it was: HEAD, the status and every uncommitted change."""
    return [git(project, *args) for args in (["rev-parse", "HEAD"], ["status"], ["diff"])]


# --- The update command of the template-update workflow -----------------------------------------


def run_update_command(project, tmp_path):
    """scripts/update-from-template.sh, run as the workflow runs it; returns (outputs, summary)."""
    tmp_path.mkdir(exist_ok=True)
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    summary = tmp_path / "summary.md"
    environment = project_environment(
        GITHUB_OUTPUT=str(outputs),
        # uvx, as astral-sh/setup-uv puts it on the workflow's PATH.
        PATH=f"{Path(uv_binary()).parent}:{project_environment()['PATH']}",
        **GIT_IDENTITY,
    )
    run(["scripts/update-from-template.sh", summary], project, env=environment)
    lines = outputs.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines), summary.read_text()


@pytest.mark.fast
def test_the_update_command_brings_a_release_and_keeps_the_team_edits(
    template_repo, team_project, tmp_path
):
    run([uv_binary(), "lock", "--quiet"], team_project)
    commit_all(team_project, "Lock the dependencies")
    outputs, summary = run_update_command(team_project, tmp_path / "before")

    assert outputs == {"updated": "false", "version": TODAY, "conflicts": "0"}
    assert (
        summary == f"Already on the newest release of the template, `{TODAY}`: nothing to update.\n"
    )
    assert git(team_project, "status", "--porcelain") == ""

    release_next(template_repo)
    outputs, summary = run_update_command(team_project, tmp_path / "after")

    assert outputs == {"updated": "true", "version": NEXT, "conflicts": "0"}
    assert f"from `{TODAY}` to `{NEXT}`" in summary
    assert summary.endswith(
        "\nNo conflicts: the template's changes merged with this project's own.\n"
    )
    assert conflicts(team_project) == Conflicts()
    assert_team_edits_kept(team_project)
    assert_next_arrived(team_project)
    assert 'name = "django-csp"' in (team_project / "uv.lock").read_text()
    # Staged for the pull request step to commit as it is.
    assert git(team_project, "diff", "--name-only") == ""
    assert git(team_project, "diff", "--staged", "--name-only") != ""


@pytest.mark.fast
def test_the_update_command_names_each_conflict_in_the_pull_request_body(
    template_repo, team_project, tmp_path
):
    release_next(template_repo, conflicting=True)

    outputs, summary = run_update_command(team_project, tmp_path)

    assert outputs == {"updated": "true", "version": NEXT, "conflicts": "1"}
    assert "**Conflicts in 1 file(s).**" in summary
    assert summary.endswith(f"\n\n- `{SETTINGS}`\n")
    # Committed as it is by the pull request step: both sides, between the markers.
    assert conflicts(team_project) == Conflicts(markers=(SETTINGS,))
    assert git(team_project, "diff", "--name-only") == ""
    assert_next_arrived(team_project)


def the_workflow(project):
    return yaml.safe_load((project / ".github" / "workflows" / "template-update.yml").read_text())


@pytest.mark.fast
def test_the_template_update_workflow_runs_that_command_with_least_privilege(rendered):
    workflow = the_workflow(rendered(DEFAULT))
    job = workflow["jobs"]["update"]
    update_step, pull_request_step = job["steps"][-2:]

    # PyYAML reads the `on:` key as True.
    assert set(workflow[True]) == {"schedule", "workflow_dispatch"}
    assert workflow["permissions"] == {}
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert update_step == {
        "name": "Update from the template",
        "id": "update",
        "run": 'scripts/update-from-template.sh "$RUNNER_TEMP/template-update.md"',
    }
    assert pull_request_step["uses"].startswith("peter-evans/create-pull-request@")
    assert pull_request_step["if"] == "steps.update.outputs.updated == 'true'"
    assert pull_request_step["with"]["body-path"] == "${{ runner.temp }}/template-update.md"
    assert "steps.update.outputs.version" in pull_request_step["with"]["title"]
    assert "steps.update.outputs.conflicts" in pull_request_step["with"]["draft"]


# --- Conflicts, as a person updating by hand sees them ------------------------------------------


def check_merge_conflict_hook(project, *files):
    """The project's pre-commit `check-merge-conflict` hook, with its configured version and
    arguments (pre-commit itself would fetch the hook from GitHub; the same code is on PyPI)."""
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    repo = next(r for r in config["repos"] if r["repo"].endswith("/pre-commit-hooks"))
    hook = next(h for h in repo["hooks"] if h["id"] == "check-merge-conflict")
    package = f"pre-commit-hooks=={repo['rev'].removeprefix('v')}"
    command = [uv_binary(), "tool", "run", "--from", package, hook["id"], *hook.get("args", [])]
    return run([*command, *files], project, check=False)


@pytest.mark.fast
def test_an_inline_conflict_keeps_both_sides_and_the_commit_hook_refuses_it(
    template_repo, team_project
):
    release_next(template_repo, conflicting=True)

    update(team_project, NEXT)  # Copier's default: --conflict inline

    assert conflicts(team_project) == Conflicts(markers=(SETTINGS,), unmerged=(SETTINGS,))
    assert (
        f"<<<<<<< before updating\n{TEAM_SETTING}=======\n{NEXT_TIME_ZONE}>>>>>>> after updating\n"
    ) in (team_project / SETTINGS).read_text()
    assert f"UU {SETTINGS}\n" in git(team_project, "status", "--porcelain")
    hook = check_merge_conflict_hook(team_project, SETTINGS)
    assert hook.returncode == 1
    assert f"{SETTINGS}:" in hook.stdout
    assert "Merge conflict string" in hook.stdout


@pytest.mark.fast
def test_a_rej_conflict_takes_the_release_and_keeps_the_team_edit_beside_it(
    template_repo, team_project
):
    release_next(template_repo, conflicting=True)

    update(team_project, NEXT, conflict="rej")

    assert conflicts(team_project) == Conflicts(rejects=(f"{SETTINGS}.rej",))
    assert NEXT_TIME_ZONE in (team_project / SETTINGS).read_text()
    assert f"+{TEAM_SETTING}" in (team_project / f"{SETTINGS}.rej").read_text()
    assert f"?? {SETTINGS}.rej\n" in git(team_project, "status", "--porcelain")


@pytest.mark.fast
def test_a_dirty_working_tree_is_refused_and_left_as_it_was(template_repo, team_project):
    release_next(template_repo)
    replace_line(team_project / SETTINGS, "TIME_ZONE = ", 'TIME_ZONE = "Asia/Tokyo"\n')
    before = git_state(team_project)

    result = run(
        [template_tool("copier"), "update", "--defaults", "--vcs-ref", NEXT],
        team_project,
        check=False,
    )

    assert result.returncode != 0
    assert "Destination repository is dirty; cannot continue." in result.stderr
    assert git_state(team_project) == before
    assert recorded_answers(team_project)["_commit"] == TODAY


# --- Adopting the template in a project it did not make -----------------------------------------

OWN_GITIGNORE = "# Our own ignore rules.\n.venv/\n*.sqlite3\n"
OWN_MODULE = '"""Code the team wrote before adopting the template."""\n'


@pytest.mark.fast
def test_an_adopted_project_keeps_what_it_kept_of_its_own_across_updates(template_repo, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".gitignore").write_text(OWN_GITIGNORE)
    (project / "legacy.py").write_text(OWN_MODULE)
    git(project, "init", "--quiet", "--initial-branch=main")
    commit_all(project, "A project of our own")

    # docs/updating.md, "Adopting the template": copy over it, keep what is ours, commit.
    copier.run_copy(
        str(template_repo.path),
        str(project),
        data=DEFAULT.answers,
        defaults=True,
        overwrite=True,
        quiet=True,
        vcs_ref=TODAY,
    )
    assert " M .gitignore\n" in git(project, "status", "--porcelain")
    git(project, "restore", ".gitignore")
    commit_all(project, "Adopt django-shipyard")
    release_next(template_repo)

    update(project, NEXT)

    assert conflicts(project) == Conflicts()
    assert (project / ".gitignore").read_text() == OWN_GITIGNORE
    assert (project / "legacy.py").read_text() == OWN_MODULE
    assert_next_arrived(project)


# --- Switching a feature on or off while updating ------------------------------------------------


def project_files(project):
    return {
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


YES_NO_FEATURES = [
    pytest.param(feature, id=feature.question)
    for feature in FEATURES
    if set(feature.values) == {False, True} and not feature.asked_when
] or [
    pytest.param(
        None,
        id="none",
        marks=pytest.mark.skip(
            reason="no feature questions exist yet (tests/variants.py FEATURES)"
        ),
    )
]


@pytest.mark.fast
@pytest.mark.parametrize("feature", YES_NO_FEATURES)
def test_a_feature_switched_on_while_updating_adds_its_files_and_off_removes_them(
    template_repo, team_project, tmp_path, feature
):
    switched_on = render({**DEFAULT.answers, feature.question: True}, tmp_path / "on")
    switched_off = render(DEFAULT.answers, tmp_path / "off")
    feature_files = project_files(switched_on) - project_files(switched_off)
    release_next(template_repo)

    update(team_project, NEXT, data={feature.question: True})

    assert feature_files
    assert conflicts(team_project) == Conflicts()
    assert recorded_answers(team_project)[feature.question] is True
    for name in feature_files:
        assert (team_project / name).read_bytes() == (switched_on / name).read_bytes(), name
    assert_team_edits_kept(team_project)
    assert_next_arrived(team_project)

    commit_all(team_project, f"{feature.question} on")
    update(team_project, NEXT, data={feature.question: False})

    assert conflicts(team_project) == Conflicts()
    assert recorded_answers(team_project)[feature.question] is False
    assert feature_files & project_files(team_project) == set()
    assert_team_edits_kept(team_project)


# --- Releases of this repository -----------------------------------------------------------------


@pytest.mark.fast
def test_every_release_records_a_commit_of_this_repository_that_its_tag_agrees_with():
    releases = recorded_releases()

    assert releases
    for version, commit in releases.items():
        full = git(TEMPLATE_ROOT, "rev-parse", "--verify", f"{commit}^{{commit}}").strip()
        tag = f"refs/tags/v{version}^{{commit}}"
        tagged = git(TEMPLATE_ROOT, "rev-parse", "--verify", "--quiet", tag, check=False).strip()
        assert tagged in {"", full}, f"tag v{version} is not the commit CHANGELOG.md records"
        assert "project_name:" in git(TEMPLATE_ROOT, "show", f"{commit}:copier.yml")


@pytest.mark.fast
def test_a_release_is_found_by_its_tag_or_else_by_its_recorded_commit(template_repo):
    version, commit = next(iter(recorded_releases().items()))
    git(template_repo.path, "tag", "--force", f"v{version}", commit)

    assert release_ref(template_repo.path, version) == f"v{version}"

    git(template_repo.path, "tag", "--delete", f"v{version}")

    assert release_ref(template_repo.path, version) == commit


@pytest.mark.fast
def test_the_snapshot_holds_the_working_tree_as_it_is(template_today):
    listed = git(TEMPLATE_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    working_tree = {
        name for name in listed.split("\0") if name and (TEMPLATE_ROOT / name).is_file()
    }
    snapshot = set(git(template_today.path, "ls-tree", "-r", "--name-only", TODAY).splitlines())

    assert snapshot == working_tree
    for name in sorted(working_tree):
        assert (template_today.path / name).read_bytes() == (TEMPLATE_ROOT / name).read_bytes()


# --- From every release of this repository to today (suite tier) ---------------------------------

# Each recorded release, for the default and the largest variant: a team may skip releases.
RELEASE_UPDATES = [
    pytest.param(
        version,
        variant,
        id=f"{version}-{variant.id}",
        marks=pytest.mark.xdist_group(f"update-{version}-{variant.id}"),
    )
    for version in recorded_releases()
    for variant in dict.fromkeys([DEFAULT, LARGEST])
]
TEAM_EDITED = {"config/settings/base.py", "README.md", "pyproject.toml", ".copier-answers.yml"}


@pytest.mark.suite
@pytest.mark.parametrize(("version", "variant"), RELEASE_UPDATES)
def test_a_project_from_a_release_updates_to_today_and_still_works(
    template_today, tmp_path, version, variant, worker_id
):
    """What an update changes is checked here; what it leaves is a render the variant's own suite
    already tests. So: every file the team did not edit is byte for byte today's render, and the
    merged project starts, has every migration, and passes the team's own tests."""
    ref = release_ref(template_today.path, version)
    asked_then = template_today.questions(ref)
    answers_then = {q: a for q, a in variant.answers.items() if q in asked_then}
    # A question new since that release (a feature, say) is answered while updating.
    answers_now = {q: a for q, a in variant.answers.items() if q not in asked_then}
    project = template_today.copy(answers_then, tmp_path / "project", ref=ref)
    make_team_edits(project)

    update(project, TODAY, data=answers_now)

    assert conflicts(project) == Conflicts()
    recorded = recorded_answers(project)
    assert recorded["_commit"] == TODAY
    assert {question: recorded[question] for question in variant.answers} == variant.answers
    assert_team_edits_kept(project)
    fresh = render(variant.answers, tmp_path / "fresh")
    for name in project_files(fresh) - TEAM_EDITED:
        assert (project / name).read_bytes() == (fresh / name).read_bytes(), name
    sync(project, offline=True)
    check_django_checks_pass_and_no_migration_is_missing(project)
    check_team_tests_pass(project, f"update-{version}-{variant.id}", worker_id)
