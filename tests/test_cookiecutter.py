"""The cookiecutter front door: the cookiecutter command makes the project Copier makes."""

import stat
import sys

import copier
import pytest
import yaml
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config

from hooks.cookiecutter_door import (
    COOKIECUTTER_JSON,
    EXTENSION,
    cookiecutter_json,
    cookiecutter_json_text,
    load_copier_config,
)

from .answers import BAD_ANSWERS, normalise
from .rendering import TEMPLATE_ROOT, render, run, template_tool
from .updating import NEXT, TODAY, commit_all, git
from .variants import BASE_ANSWERS, DEFAULT, LARGEST

pytestmark = pytest.mark.fast

COPIER_CONFIG = load_copier_config()


def answers_file(project):
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def tree(root):
    """Every path under `root` with its mode and bytes (False for folders), answers file aside."""
    return {
        path.relative_to(root): (
            stat.S_IMODE(path.stat().st_mode),
            path.is_file() and path.read_bytes(),
        )
        for path in root.rglob("*")
        if path.name != ".copier-answers.yml"
    }


# --- cookiecutter.json is made from copier.yml ----------------------------------------------------


def test_cookiecutter_json_is_made_from_copier_yml():
    assert COOKIECUTTER_JSON.read_text(encoding="utf-8") == cookiecutter_json_text(), (
        "cookiecutter.json differs from copier.yml: run `uv run python hooks/cookiecutter_door.py`"
    )


def test_every_kind_of_copier_question_maps_to_cookiecutter():
    config = yaml.safe_load(
        """
        _subdirectory: template
        name: {type: str, help: Name, placeholder: Acme}
        slug: {type: str, help: Slug, default: "{{ name | lower | regex_replace(' ', '_') }}"}
        use_queue: {type: bool, help: Job queue, default: false}
        broker:
          type: str
          help: Broker
          choices: {Redis: redis, RabbitMQ: rabbitmq}
          default: rabbitmq
          when: "{{ use_queue }}"
        region: {type: str, help: Region, choices: [eu, us]}
        greeting: hello
        shout: {type: str, default: "{{ name | upper }}", when: false}
        """
    )

    made = cookiecutter_json(config)

    expected = {
        "_comment": cookiecutter_json({})["_comment"],
        "name": "Acme",
        "slug": "{% set name = cookiecutter.name %}{{ name | lower | regex_replace(' ', '_') }}",
        "use_queue": False,
        "broker": ["rabbitmq", "redis"],
        "region": ["eu", "us"],
        "greeting": "hello",
        "__prompts__": {
            "name": "Name",
            "slug": "Slug",
            "use_queue": "Job queue",
            "broker": {
                "__prompt__": "Broker (used only when use_queue)",
                "redis": "Redis",
                "rabbitmq": "RabbitMQ",
            },
            "region": "Region",
            "greeting": "greeting",
        },
        "_extensions": [EXTENSION],
    }
    assert list(made.items()) == list(expected.items()), "copier.yml's questions, in its order"


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"type": "int", "default": 1}, "has type 'int'"),
        ({"default": 1.5}, "has type 'float'"),
        ({"default": [1, 2]}, "has type 'yaml'"),
        ({"type": "str", "multiselect": True, "choices": ["a"]}, "is a multiselect"),
        ({"type": "str", "secret": True, "default": "x"}, "is a multiselect or secret"),
        ({"type": "str"}, "has neither a default nor a placeholder"),
        ({"type": "bool", "default": "{{ other }}"}, "is a bool without a true/false default"),
        ({"type": "str", "choices": ["a", "b"], "default": "c"}, "default ('c') that is not one"),
        ({"type": "str", "default": "{{ other }}"}, "uses other, not an earlier question"),
        ({"type": "str", "default": "{{ _copier_conf.dst_path }}"}, "uses _copier_conf"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_question_cookiecutter_cannot_ask_is_named(question, message):
    config = {"question": question, "other": {"type": "str", "default": "later"}}

    with pytest.raises(ValueError, match=r"copier\.yml question 'question'") as excinfo:
        cookiecutter_json(config)

    assert message in str(excinfo.value)
    assert "hooks/cookiecutter_door.py" in str(excinfo.value)


@pytest.mark.parametrize(
    "project_name",
    ["Shipyard Demo", "Ünïcorn & Co's Shop!", "  42 Flying_Pigs--Ltd. ", "Shop 2"],
)
def test_cookiecutter_derives_the_defaults_copier_derives(tmp_path, project_name):
    copied = answers_file(render({"project_name": project_name}, tmp_path / "copier"))
    context = generate_context(
        context_file=str(COOKIECUTTER_JSON), extra_context={"project_name": project_name}
    )
    asked = prompt_for_config(context, no_input=True)

    questions = [name for name in copied if not name.startswith("_")]
    assert {name: asked[name] for name in questions} == {name: copied[name] for name in questions}


# --- Baking: the same project, the same release, the same refusals -------------------------------
# Each bake runs the cookiecutter command in a process of its own, as a user runs it: in this
# process the hook would find this repository's own hooks/ module, already imported.


@pytest.fixture
def cookiecutter_config(tmp_path):
    """A cookiecutter user config that keeps its clones and replays out of the home folder."""
    config = tmp_path / "cookiecutter.yaml"
    config.write_text(
        yaml.safe_dump(
            {"cookiecutters_dir": str(tmp_path / "clones"), "replay_dir": str(tmp_path / "replay")}
        )
    )
    return config


@pytest.fixture
def bake(tmp_path, cookiecutter_config):
    """`bake(template, answers)`: run `cookiecutter --no-input`; its result and output folder."""

    def bake(template, answers):
        output = tmp_path / "baked"
        command = [
            template_tool("cookiecutter"),
            "--no-input",
            f"--config-file={cookiecutter_config}",
            f"--output-dir={output}",
            template,
            *(f"{name}={value}" for name, value in answers.items()),
        ]
        return run(command, tmp_path, check=False), output

    return bake


def baked_project(result, output):
    assert result.returncode == 0, result.stdout + result.stderr
    (project,) = output.iterdir()
    return project


@pytest.mark.parametrize(
    "variant", [pytest.param(v, id=v.id) for v in {v.id: v for v in (DEFAULT, LARGEST)}.values()]
)
def test_cookiecutter_bakes_the_project_copier_renders(bake, tmp_path, variant, template_today):
    # Today's template, committed and tagged as the newest release (tests/updating.py).
    copied = tmp_path / "copier"
    copier.run_copy(str(template_today.path), copied, data=variant.answers, defaults=True)

    baked = baked_project(*bake(template_today.path, variant.answers))

    assert baked.name == answers_file(copied)["project_slug"]
    assert tree(baked) == tree(copied)
    # The same answers, source and release.
    assert answers_file(baked) == answers_file(copied)
    assert answers_file(baked)["_src_path"] == str(template_today.path)
    assert answers_file(baked)["_commit"] == TODAY


def test_cookiecutter_bakes_the_newest_release_as_copier_copy_does(bake, template_repo):
    # Work committed after the newest release is not released yet: neither tool renders it.
    readme = template_repo.path / "template" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nUnreleased work.\n")
    commit_all(template_repo.path, "Unreleased work")

    baked = baked_project(*bake(template_repo.path, DEFAULT.answers))

    assert answers_file(baked)["_commit"] == TODAY
    assert "Unreleased work." not in (baked / "README.md").read_text()


def test_cookiecutter_bakes_the_release_it_checked_out(bake, template_repo):
    template_repo.release(NEXT, allow_empty=True)
    git(template_repo.path, "checkout", "--quiet", TODAY)

    baked = baked_project(*bake(template_repo.path, DEFAULT.answers))

    assert answers_file(baked)["_commit"] == TODAY


def first_bad_answer_per_question():
    """test_questions.py's first refused answer for each question cookiecutter hands on as typed."""
    cases = {}
    for question, answer, message in BAD_ANSWERS:
        if "choices" not in COPIER_CONFIG[question]:
            cases.setdefault(question, pytest.param(question, answer, message, id=question))
    return list(cases.values())


@pytest.mark.parametrize(("question", "answer", "message"), first_bad_answer_per_question())
def test_a_bad_answer_fails_with_copiers_message(bake, template_today, question, answer, message):
    result, output = bake(template_today.path, {**BASE_ANSWERS, question: answer})

    assert result.returncode != 0
    printed = normalise(result.stderr)
    assert f"Validation error for question '{question}': " in printed
    assert normalise(message) in printed
    assert not any(output.rglob("*")), "a refused bake left files"


def test_an_answer_outside_the_choices_is_refused_before_anything_is_written(bake, template_today):
    result, output = bake(template_today.path, {**BASE_ANSWERS, "python_version": "3.10"})

    assert result.returncode != 0
    printed = result.stdout + result.stderr
    assert "3.10 provided for choice variable python_version" in printed
    assert "'3.12', '3.11', '3.13'" in printed
    assert not output.exists() or not any(output.rglob("*"))


# --- The cookiecutter command: relative paths, copier update, Copier missing --------------------


def test_copier_update_works_on_a_project_cookiecutter_made(
    tmp_path, cookiecutter_config, template_today
):
    # Today's template committed in a repository (tests/updating.py): `copier update` looks up the
    # commit a project records, and a render of a dirty working tree records one nobody keeps.
    # A template path relative to where cookiecutter runs: the answers file still gets it absolute.
    answers = [f"{name}={value}" for name, value in DEFAULT.answers.items()]
    run(
        [
            template_tool("cookiecutter"),
            "--no-input",
            f"--config-file={cookiecutter_config}",
            f"--output-dir={tmp_path / 'projects'}",
            template_today.path.name,
            *answers,
        ],
        template_today.path.parent,
    )
    (project,) = (tmp_path / "projects").iterdir()
    assert answers_file(project)["_src_path"] == str(template_today.path)
    git(project, "init", "--quiet")
    commit_all(project, "Baked with cookiecutter")

    copier.run_update(project, defaults=True, overwrite=True, vcs_ref="HEAD", quiet=True)

    assert git(project, "status", "--porcelain") == "", "the update changed the project"
    assert not list(project.rglob("*.rej"))


def test_without_copier_cookiecutter_says_how_to_install_it_and_writes_nothing(
    tmp_path, cookiecutter_config
):
    # The interpreter running cookiecutter, as if Copier were not installed in it.
    without_copier = (
        "import sys; sys.modules['copier'] = None; from cookiecutter.__main__ import main; main()"
    )
    result = run(
        [
            sys.executable,
            "-c",
            without_copier,
            "--no-input",
            f"--config-file={cookiecutter_config}",
            "--output-dir=projects",
            TEMPLATE_ROOT,
        ],
        tmp_path,
        check=False,
    )

    assert result.returncode == 1
    assert "renders its projects with Copier, which" in result.stdout
    assert "`pip install copier` next to cookiecutter" in result.stdout
    assert "uvx --with copier cookiecutter" in result.stdout
    assert not (tmp_path / "projects").exists()
