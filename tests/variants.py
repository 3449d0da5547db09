"""The variant matrix: one place that lists every combination of the feature answers.

A feature issue adds its question to FEATURES (the values the matrix takes, and when the question
is asked); the matrix, the ids and every parametrised test grow by themselves.

    python -m tests.variants           # one id a line
    python -m tests.variants --json    # the ids as a JSON list, for a CI job's strategy.matrix
"""

import itertools
import json
import sys
from dataclasses import dataclass, field

# Answers every variant shares. The slug is derived from the name, as a user would get it.
BASE_ANSWERS = {
    "project_name": "Shipyard Demo",
    "description": "A demo project rendered by the django-shipyard test suite.",
    "author_name": "Shipyard Tests",
    "author_email": "tests@shipyard-demo.example.com",
    "domain_name": "shipyard-demo.example.com",
    "python_version": "3.12",
}


@dataclass(frozen=True)
class Feature:
    """A feature question: its values in the matrix, and when it is asked at all."""

    question: str
    values: tuple
    label: str  # short name in variant ids, e.g. "drf"
    asked_when: tuple = field(default=())  # (question, value) pairs that must all hold
    # What a variant's own suite needs from the machine's services for an answer, such as a
    # broker's URL: {value: {VARIABLE: value}}. The suite tier passes it to the suite.
    suite_environment: dict = field(default_factory=dict, hash=False)


# Feature questions, in the order their labels appear in variant ids.
FEATURES: tuple[Feature, ...] = (
    Feature("use_drf", (False, True), "drf"),
    Feature("use_celery", (False, True), "celery"),
    Feature(
        "celery_broker",
        ("redis", "rabbitmq"),
        "celery",
        asked_when=(("use_celery", True),),
        suite_environment={
            "redis": {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/1"},
            "rabbitmq": {"CELERY_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//"},
        },
    ),
    Feature("use_stripe", (False, True), "stripe"),
    Feature("use_shopify", (False, True), "shopify"),
    Feature("use_docker", (False, True), "docker"),
    Feature("use_do_app_platform", (False, True), "do"),
)

# Every feature question DESIGN.md plans: today's, then those not built yet (move a line up into
# FEATURES when its feature lands). Not tested as variants: the variant machinery's own tests and
# bench/matrix.py's projection use it.
PLANNED_FEATURES: tuple[Feature, ...] = (*FEATURES,)


@dataclass(frozen=True)
class Variant:
    id: str
    features: tuple  # ((question, value), ...) for the features asked in this variant
    suite_environment: tuple = ()  # ((VARIABLE, value), ...) its own suite needs (see Feature)

    @property
    def answers(self):
        return {**BASE_ANSWERS, **dict(self.features)}

    @property
    def enabled(self):
        return {question for question, value in self.features if value is True}


def _labels(features, answers):
    """The id's labels: a yes/no question's label when yes, `label_value` for a choice. A choice
    asked only under another answer stands for that answer too (`celery_redis`, not
    `celery-celery_redis`)."""
    labels = {}
    for feature in features:
        value = answers.get(feature.question)
        if value is True:
            labels[feature.question] = feature.label
        elif isinstance(value, str):
            labels[feature.question] = f"{feature.label}_{value}"
            for question, _ in feature.asked_when:
                labels.pop(question, None)
    return list(labels.values())


def _variant(features, choices):
    answers, environment = {}, {}
    for feature, value in zip(features, choices, strict=True):
        if all(answers.get(q) == v for q, v in feature.asked_when):
            answers[feature.question] = value
            environment.update(feature.suite_environment.get(value, {}))
    variant_id = "-".join(_labels(features, answers)) or "core"
    return Variant(
        id=variant_id,
        features=tuple(answers.items()),
        suite_environment=tuple(environment.items()),
    )


def all_variants(features=FEATURES):
    """Every distinct variant, the core (all features off) first."""
    seen = {}
    for choices in itertools.product(*(feature.values for feature in features)):
        variant = _variant(features, choices)
        seen.setdefault(variant.id, variant)
    return sorted(seen.values(), key=lambda v: (len(v.enabled), v.id))


def each_feature_and_all(variants):
    """Of `variants` (in matrix order), those with the fewest features, those with one more
    (each answer of a choice apart), and the one with the most: each feature on its own and beside
    every other, in a number of variants that grows with the features, not their combinations."""
    fewest = min(len(v.enabled) for v in variants)
    return list(
        dict.fromkeys([v for v in variants if len(v.enabled) <= fewest + 1] + [variants[-1]])
    )


VARIANTS = all_variants()
VARIANTS_BY_ID = {variant.id: variant for variant in VARIANTS}
DEFAULT = VARIANTS[0]
LARGEST = max(VARIANTS, key=lambda v: len(v.enabled))


def main(arguments):
    ids = [variant.id for variant in VARIANTS]
    print(json.dumps(ids) if arguments == ["--json"] else "\n".join(ids))


if __name__ == "__main__":
    main(sys.argv[1:])
