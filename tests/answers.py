"""Answers the questions refuse, with the message that says why (tests/test_questions.py, and
the cookiecutter door's tests, which must refuse them with the same words)."""

BAD_ANSWERS = [
    ("project_name", "   ", "project_name must not be empty"),
    ("project_name", 'The "Best" Shop', "must not contain double quotes"),
    ("project_name", "N" * 51, "project_name is longer than 50 characters"),
    ("project_slug", "django", 'would shadow the Python module "django"'),
    ("project_slug", "test", 'would shadow the Python module "test"'),
    ("project_slug", "celery", 'would shadow the Python module "celery"'),
    ("project_slug", "json", 'would shadow the Python module "json"'),
    ("project_slug", "class", 'would shadow the Python module "class"'),
    ("project_slug", "config", 'would shadow the Python module "config"'),
    ("project_slug", "My-Shop", "must be\na lowercase Python identifier"),
    ("project_slug", "2shop", "lowercase Python identifier"),
    ("project_slug", "_shop", "lowercase Python identifier"),
    ("project_slug", "shop app", "lowercase Python identifier"),
    ("project_slug", "a" * 41, "longer than 40 characters"),
    ("description", "back\\slash", "must not contain double quotes, backslashes"),
    ("author_name", "", "author_name must not be empty"),
    ("author_email", "not-an-email", '"not-an-email" is not a valid email address'),
    ("author_email", "someone@localhost", "is not a valid email address"),
    ("author_email", "two@@example.com", "is not a valid email address"),
    ("author_email", "a" * 50 + "@example.com", "author_email is longer than 60 characters"),
    ("domain_name", "https://example.com", "is not a bare lowercase domain"),
    ("domain_name", "example.com/shop", "is not a bare lowercase domain"),
    ("domain_name", "example.com:8000", "is not a bare lowercase domain"),
    ("domain_name", "Example.COM", "is not a bare lowercase domain"),
    ("domain_name", "localhost", "is not a bare lowercase domain"),
    ("domain_name", "-bad-.example.com", "is not a bare lowercase domain"),
    ("python_version", "3.10", "Invalid choice for 'python_version'"),
    ("python_version", "2.7", "Invalid choice for 'python_version'"),
]


def normalise(message):
    return " ".join(message.split())
