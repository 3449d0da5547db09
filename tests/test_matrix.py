"""The variant machinery: ids, the planned features, `--variant` runs, and the GitHub workflow
that shards the matrix over runners."""

import ast
import json
import sys
from types import SimpleNamespace

import pytest
import yaml

from .matrix import keep, selected_variants
from .rendering import TEMPLATE_ROOT, run
from .variants import FEATURES, PLANNED_FEATURES, VARIANTS, all_variants, each_feature_and_all

pytestmark = pytest.mark.fast

TESTS = TEMPLATE_ROOT / "tests"
WORKFLOW = TEMPLATE_ROOT / ".github" / "workflows" / "tests.yml"
COLLECT = [sys.executable, "-m", "pytest", "-n", "0", "--collect-only", "-q"]


def test_the_planned_features_make_96_variants_with_readable_unique_ids():
    planned = all_variants(PLANNED_FEATURES)
    ids = [variant.id for variant in planned]

    assert len(planned) == 96  # drf x (no celery, redis, rabbitmq) x stripe x shopify x docker x DO
    assert len(set(ids)) == len(ids)
    assert ids[0] == "core"
    # Labels follow FEATURES, then the features not built yet: the order moves as features land.
    assert {"drf", "celery_rabbitmq", "stripe", "shopify", "docker", "do"} in [
        set(i.split("-")) for i in ids
    ]
    assert not [i for i in ids if "celery-" in i or i.endswith("-celery")]
    for variant in planned:
        answers = variant.answers
        for feature in PLANNED_FEATURES:
            asked = all(answers.get(q) == value for q, value in feature.asked_when)
            assert (feature.question in answers) == asked, (variant.id, feature.question)


def test_each_feature_and_all_keeps_the_planned_matrix_to_one_variant_per_feature_answer():
    planned = all_variants(PLANNED_FEATURES)

    kept = [variant.id for variant in each_feature_and_all(planned)]

    assert kept[0] == "core"
    assert kept[-1] == planned[-1].id
    assert len(planned[-1].enabled) == 6
    assert sorted(kept[1:-1]) == [
        "celery_rabbitmq",
        "celery_redis",
        "do",
        "docker",
        "drf",
        "shopify",
        "stripe",
    ]
    # Of the variants with one feature: that feature alone, then beside each other one.
    first = PLANNED_FEATURES[0]
    with_first = [v for v in planned if first.question in v.enabled]
    kept_with_first = each_feature_and_all(with_first)
    assert kept_with_first[0].id == first.label
    assert all(len(v.enabled) == 2 for v in kept_with_first[1:-1])
    assert len(kept_with_first) == 1 + 6 + 1


def test_the_variant_list_prints_as_json_for_a_ci_matrix():
    result = run([sys.executable, "-m", "tests.variants", "--json"], TEMPLATE_ROOT)

    assert json.loads(result.stdout) == [variant.id for variant in VARIANTS]


@pytest.mark.parametrize("feature", FEATURES, ids=lambda feature: feature.question)
def test_a_feature_has_its_checks_module_and_no_generic_module_names_it(feature):
    generic = [path for path in TESTS.glob("*.py") if path.name != "variants.py"]

    naming = [path.name for path in generic if feature.question in path.read_text()]

    assert (TESTS / "features" / f"test_{feature.label}.py").is_file()
    assert naming == [], f"move what names {feature.question} to its tests/features/ module"


# Imports from conftest or from another test module that their owners have yet to move to the
# plain modules (docs/testing.md): remove a line once it is moved.
NOT_YET_MOVED = set()


def test_test_modules_import_helpers_from_plain_modules_only():
    found = set()
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level and node.module:
                name = node.module.split(".")[-1]
                if name == "conftest" or name.startswith("test_"):
                    found.add((path.name, name))

    assert found <= NOT_YET_MOVED


# --- Which tests a run keeps ---------------------------------------------------------------------


def fake_test(*variants, every_variant=False):
    """A collected test, as far as tests/matrix.py looks at one."""
    return SimpleNamespace(
        callspec=SimpleNamespace(params={f"p{n}": v for n, v in enumerate(variants)}),
        get_closest_marker=lambda name: every_variant and name == "every_variant",
    )


def fake_config(variant=(), no_variant=False):
    options = {"variant": list(variant), "no_variant": no_variant}
    return SimpleNamespace(getoption=options.__getitem__)


def test_one_run_per_variant_and_one_without_cover_every_test_once():
    planned = all_variants(PLANNED_FEATURES)
    tests = [fake_test(), fake_test("not a variant"), *(fake_test(v) for v in planned)]
    every = fake_test(every_variant=True)
    runs = [fake_config(variant=[v.id]) for v in planned] + [fake_config(no_variant=True)]

    for test in tests:
        assert sum(keep(test, config) for config in runs) == 1
        assert keep(test, fake_config())
    assert [keep(every, config) for config in runs] == [True] * len(planned) + [False]


def test_a_run_of_one_variant_collects_its_tests_only():
    result = run(
        [*COLLECT, "--variant", VARIANTS[-1].id, "tests/test_fast.py", "tests/test_suite.py"],
        TEMPLATE_ROOT,
    )
    collected = [line for line in result.stdout.splitlines() if "::" in line]

    assert collected
    assert all(f"[{VARIANTS[-1].id}]" in name or "every_variant" in name for name in collected), (
        collected
    )


def test_an_unknown_variant_is_refused_with_the_list_of_ids():
    with pytest.raises(pytest.UsageError) as refused:
        selected_variants(fake_config(variant=["no-such-variant"]))

    assert "--variant no-such-variant: no such variant" in str(refused.value)
    assert all(variant.id in str(refused.value) for variant in VARIANTS)


# --- The repository's own workflow ---------------------------------------------------------------


def test_the_workflow_passes_actionlint(actionlint):
    result = actionlint(WORKFLOW)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_shards_the_matrix_by_the_listed_variants_and_runs_the_rest_once():
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    listing = jobs["variants"]["steps"][-1]
    shard = jobs["variant"]
    commands = [step.get("run", "") for job in jobs.values() for step in job["steps"]]

    assert "python -m tests.variants --json" in listing["run"]
    assert jobs["variants"]["outputs"]["ids"] == "${{ steps.list.outputs.ids }}"
    assert shard["needs"] == "variants"
    assert shard["strategy"]["matrix"]["variant"] == "${{ fromJSON(needs.variants.outputs.ids) }}"
    assert set(shard["services"]) == {"postgres", "redis", "rabbitmq"}
    assert shard["steps"][-1]["run"] == 'uv run --locked pytest --variant "${{ matrix.variant }}"'
    assert jobs["template"]["steps"][-1]["run"] == "uv run --locked pytest --no-variant"
    assert [c for c in commands if "pytest" in c and "--variant" not in c] == [
        "uv run --locked pytest --no-variant"
    ]
