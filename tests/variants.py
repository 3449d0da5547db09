"""The variant matrix: one place that lists every combination of the feature answers.

A feature issue adds its question to FEATURES (the values the matrix takes, and when the question
is asked); the matrix, the ids and every parametrised test grow by themselves.
"""

import itertools
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


# Feature questions, in the order their labels appear in variant ids.
FEATURES: tuple[Feature, ...] = (Feature("use_drf", (False, True), "drf"),)


@dataclass(frozen=True)
class Variant:
    id: str
    features: tuple  # ((question, value), ...) for the features asked in this variant

    @property
    def answers(self):
        return {**BASE_ANSWERS, **dict(self.features)}

    @property
    def enabled(self):
        return {question for question, value in self.features if value is True}


def _label(feature, value):
    if value is True:
        return feature.label
    if isinstance(value, str):
        return f"{feature.label}_{value}"
    return None


def _variant(choices):
    answers = {}
    for feature, value in zip(FEATURES, choices, strict=True):
        if all(answers.get(q) == v for q, v in feature.asked_when):
            answers[feature.question] = value
    labels = [
        label
        for feature in FEATURES
        if feature.question in answers and (label := _label(feature, answers[feature.question]))
    ]
    return Variant(id="-".join(labels) or "core", features=tuple(answers.items()))


def all_variants():
    """Every distinct variant, the core (all features off) first."""
    seen = {}
    for choices in itertools.product(*(feature.values for feature in FEATURES)):
        variant = _variant(choices)
        seen.setdefault(variant.id, variant)
    return sorted(seen.values(), key=lambda v: (len(v.enabled), v.id))


VARIANTS = all_variants()
VARIANTS_BY_ID = {variant.id: variant for variant in VARIANTS}
DEFAULT = VARIANTS[0]
LARGEST = max(VARIANTS, key=lambda v: len(v.enabled))
