"""Lines logged while a task runs carry its id and name, as production writes them (JSON)."""

import io
import json
import logging
import logging.config

import pytest
from celery import shared_task

from config.celery import keep_django_logging

from ...core.logs import logging_config

logger = logging.getLogger(__name__)


@shared_task
def log_a_line():
    logger.warning("inside the task")


@pytest.fixture
def json_logs(settings):
    """Production's logging, set up as a worker sets it up; the lines it wrote, parsed."""
    config = logging_config(style="json", level="INFO")
    stream = config["handlers"]["console"]["stream"] = io.StringIO()
    logging.config.dictConfig(config)
    keep_django_logging()
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.config.dictConfig(settings.LOGGING)


def test_lines_logged_in_a_task_carry_its_id_and_name(json_logs):
    result = log_a_line.delay()
    logger.warning("outside any task")

    lines = {line["message"]: line for line in json_logs()}
    inside, outside = lines["inside the task"], lines["outside any task"]
    assert inside["task_id"] == result.id
    assert inside["task_name"] == f"{__name__}.log_a_line"
    assert "task_id" not in outside
