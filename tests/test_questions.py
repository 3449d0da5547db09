"""Questions: derived defaults, and bad answers refused before anything is written."""

import pytest
import yaml

from .answers import BAD_ANSWERS, normalise
from .rendering import TEMPLATE_ROOT, render, run, uv_binary
from .variants import BASE_ANSWERS

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("question", "answer", "message"),
    BAD_ANSWERS,
    ids=[f"{q}={a[:20]!r}" for q, a, _ in BAD_ANSWERS],
)
def test_bad_answer_is_refused_and_nothing_is_written(tmp_path, question, answer, message):
    destination = tmp_path / "project"

    with pytest.raises(ValueError, match=r"Validation error|Invalid choice") as excinfo:
        render({**BASE_ANSWERS, question: answer}, destination)

    assert normalise(message) in normalise(str(excinfo.value))
    assert question in str(excinfo.value)
    assert not destination.exists()


def test_bad_answer_on_the_command_line_exits_non_zero(tmp_path):
    destination = tmp_path / "project"
    (tmp_path / "keep.txt").write_text("untouched")

    result = run(
        [
            TEMPLATE_ROOT / ".venv/bin/copier",
            "copy",
            "--defaults",
            "--vcs-ref=HEAD",
            "--data=project_name=Shop",
            "--data=domain_name=http://shop.example.com",
            TEMPLATE_ROOT,
            destination,
        ],
        tmp_path,
        check=False,
    )

    assert result.returncode != 0
    assert 'domain_name "http://shop.example.com" is not a bare lowercase domain' in result.stderr
    assert not destination.exists()
    assert (tmp_path / "keep.txt").read_text() == "untouched"


def test_defaults_are_derived_from_the_project_name(tmp_path):
    project = render({"project_name": "Ünïcorn & Co's Shop!"}, tmp_path / "project")

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["project_slug"] == "n_corn_co_s_shop"
    assert answers["domain_name"] == "n-corn-co-s-shop.example.com"
    assert answers["author_email"] == "team@n-corn-co-s-shop.example.com"
    assert answers["python_version"] == "3.12"
    assert (project / "n_corn_co_s_shop" / "users" / "models.py").exists()


def test_answers_file_records_an_absolute_source_and_the_version(tmp_path):
    project = render(BASE_ANSWERS, tmp_path / "project")

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == str(TEMPLATE_ROOT)
    assert answers["_commit"]


def test_the_minimum_copier_version_renders_the_same_project(tmp_path):
    """_min_copier_version is true: that release renders what today's Copier renders."""
    minimum = yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text())["_min_copier_version"]
    data = [f"--data={key}={value}" for key, value in BASE_ANSWERS.items()]
    old = tmp_path / "old"
    copier = [uv_binary(), "tool", "run", "--quiet", f"copier=={minimum}"]
    run(
        [*copier, "copy", "--quiet", "--defaults", "--vcs-ref=HEAD", *data, TEMPLATE_ROOT, old],
        tmp_path,
    )
    new = render(BASE_ANSWERS, tmp_path / "new")

    def tree(root):
        return {
            path.relative_to(root): path.read_bytes()
            for path in root.rglob("*")
            if path.is_file() and path.name != ".copier-answers.yml"
        }

    assert tree(old) == tree(new)


def test_a_slug_ending_in_an_underscore_still_derives_a_valid_domain(tmp_path):
    project = render({"project_name": "Shop", "project_slug": "shop_"}, tmp_path / "project")

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["domain_name"] == "shop.example.com"
    assert answers["author_email"] == "team@shop.example.com"
