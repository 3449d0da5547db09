"""The variant matrix in pytest: one param per variant, and which tests a run keeps.

Every test belongs either to variants (those among its parameters, or every selected variant for
a test marked `every_variant`) or to the template itself. `pytest --variant ID` keeps the tests of
that variant only; `pytest --no-variant` the template's own (questions, docs, updates between
synthetic releases, ...). Together, one run per id and one `--no-variant` run cover the suite once:
that is how the repository's GitHub workflow shards it.
"""

import pytest

from .variants import VARIANTS, VARIANTS_BY_ID, Variant, each_feature_and_all


def variant_params(with_feature=None, *, fewest_and_most=False, each_feature=False):
    """One pytest param per variant; xdist keeps all of a variant's tests on one worker.

    With `with_feature`, only the variants where that question is answered yes. With
    `fewest_and_most`, only the one of those with the fewest features and the one with the most:
    for a check too slow to pay in every variant (it grows with the matrix, they do not). With
    `each_feature`, the variants with at most one feature (each answer of a choice included) and
    the one with the most: every feature's part of a page or workflow runs on its own and beside
    every other feature, at a cost that grows with the features, not with their combinations."""
    variants = [v for v in VARIANTS if with_feature is None or with_feature in v.enabled]
    if fewest_and_most:
        variants = list(dict.fromkeys([variants[0], variants[-1]]))
    if each_feature:
        variants = each_feature_and_all(variants)
    # Its cost grows with the matrix, unless it is kept to a few variants (tests/timings.py).
    grows = [] if fewest_and_most or each_feature else [pytest.mark.per_variant]
    return [
        pytest.param(v, id=v.id, marks=[*grows, pytest.mark.xdist_group(v.id)]) for v in variants
    ]


def add_options(parser):
    group = parser.getgroup("shipyard", "django-shipyard's variant matrix")
    group.addoption(
        "--variant",
        action="append",
        default=[],
        metavar="ID",
        help="run only the tests of this variant (repeatable); `python -m tests.variants` "
        "lists the ids",
    )
    group.addoption(
        "--no-variant",
        action="store_true",
        help="run only the tests that belong to no variant (the template's own checks)",
    )


def selected_variants(config):
    """The variants this run tests: those named by --variant, or every one."""
    ids = config.getoption("variant")
    unknown = [name for name in ids if name not in VARIANTS_BY_ID]
    if unknown:
        known = ", ".join(VARIANTS_BY_ID)
        raise pytest.UsageError(f"--variant {', '.join(unknown)}: no such variant (ids: {known})")
    return [VARIANTS_BY_ID[name] for name in ids] if ids else list(VARIANTS)


def variants_of(item):
    """The ids of the variants among a collected test's parameters."""
    params = getattr(item, "callspec", None)
    values = params.params.values() if params else ()
    return [value.id for value in values if isinstance(value, Variant)]


def keep(item, config):
    """Whether a run with this --variant/--no-variant selection keeps a collected test."""
    ids, no_variant = config.getoption("variant"), config.getoption("no_variant")
    if not ids and not no_variant:
        return True
    if item.get_closest_marker("every_variant"):
        return bool(ids)
    belongs_to = variants_of(item)
    if not belongs_to:
        return no_variant
    return set(belongs_to) <= set(ids)
