"""Fast tier: every variant renders clean and passes its static and Django checks.

The checks themselves live in tests/checks.py, so that the update tests can run them on a project
that `copier update` brought to today's template. What one feature brings is checked in
tests/features/test_<feature>.py.
"""

import pytest

from .checks import (
    check_deploy_checks_pass_with_production_settings,
    check_django_checks_pass_and_no_migration_is_missing,
    check_env_example_lists_exactly_the_variables_read,
    check_every_file_is_tidy,
    check_github_workflows_pass_actionlint,
    check_no_unrendered_jinja,
    check_pre_commit_config_is_valid,
    check_production_settings_refuse_to_start_without_their_variables,
    check_readme_documents_every_environment_variable,
    check_ruff_lint_and_format_are_clean,
    check_toml_and_yaml_files_parse,
)
from .matrix import variant_params
from .rendering import render
from .sharing import check_the_suite_reads_no_file_left_out_of_its_key
from .variants import LARGEST

pytestmark = pytest.mark.fast


@pytest.mark.parametrize("variant", variant_params())
def test_no_unrendered_jinja(rendered, variant):
    check_no_unrendered_jinja(rendered(variant))


@pytest.mark.parametrize("variant", variant_params())
def test_every_file_is_tidy(rendered, variant):
    check_every_file_is_tidy(rendered(variant))


@pytest.mark.parametrize("variant", variant_params())
def test_toml_and_yaml_files_parse(rendered, variant):
    check_toml_and_yaml_files_parse(rendered(variant))


@pytest.mark.parametrize("variant", variant_params())
def test_pre_commit_config_is_valid(rendered, variant):
    check_pre_commit_config_is_valid(rendered(variant))


@pytest.mark.parametrize("variant", variant_params())
def test_django_checks_pass_and_no_migration_is_missing(rendered, variant):
    check_django_checks_pass_and_no_migration_is_missing(rendered(variant, synced=True))


@pytest.mark.parametrize("variant", variant_params())
def test_deploy_checks_pass_with_production_settings(rendered, variant):
    check_deploy_checks_pass_with_production_settings(rendered(variant, synced=True), variant)


@pytest.mark.parametrize("variant", variant_params())
def test_production_settings_refuse_to_start_without_their_variables(rendered, variant):
    check_production_settings_refuse_to_start_without_their_variables(
        rendered(variant, synced=True)
    )


@pytest.mark.parametrize("variant", variant_params())
def test_env_example_lists_exactly_the_variables_read(rendered, variant):
    check_env_example_lists_exactly_the_variables_read(rendered(variant))


@pytest.mark.parametrize("variant", variant_params())
def test_readme_documents_every_environment_variable(rendered, variant):
    check_readme_documents_every_environment_variable(rendered(variant))


@pytest.mark.parametrize("variant", variant_params())
def test_the_suite_reads_no_file_left_out_of_its_key(rendered, variant):
    check_the_suite_reads_no_file_left_out_of_its_key(rendered(variant))


@pytest.mark.every_variant
def test_github_workflows_pass_actionlint_in_every_variant(rendered, selected_variants, actionlint):
    """One actionlint run over the workflows of this run's renders."""
    projects = [rendered(variant) for variant in selected_variants]

    check_github_workflows_pass_actionlint(actionlint, *projects)


@pytest.mark.every_variant
def test_ruff_lint_and_format_are_clean_in_every_variant(rendered, selected_variants):
    """One ruff run over the renders of this run (each render's pyproject.toml configures it)."""
    check_ruff_lint_and_format_are_clean(*[rendered(variant) for variant in selected_variants])


# The longest answers the validators accept: answers land in Python lines, which must stay
# formatted and within the line length whatever a user types.
MAXIMAL_ANSWERS = {
    **LARGEST.answers,
    "project_name": "A Project Name Exactly Fifty Characters Long Here!",
    "project_slug": "a_project_slug_exactly_forty_chars_long_",
    "author_email": "a.rather.long.mailbox.names@mail.department.example-corp.com",
}


def test_ruff_lint_and_format_are_clean_with_the_longest_answers(tmp_path):
    assert len(MAXIMAL_ANSWERS["project_name"]) == 50
    assert len(MAXIMAL_ANSWERS["project_slug"]) == 40
    assert len(MAXIMAL_ANSWERS["author_email"]) == 60

    check_ruff_lint_and_format_are_clean(render(MAXIMAL_ANSWERS, tmp_path / "maximal"))
