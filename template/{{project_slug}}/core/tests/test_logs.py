"""Structured logs: one JSON object per line, with the request id that X-Request-ID carries."""

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.utils.log import configure_logging

from ..logs import logging_config


@pytest.fixture
def json_lines():
    """Log through the project's production (JSON) configuration; read back the lines."""
    config = logging_config(style="json", level="INFO")
    output = io.StringIO()
    config["handlers"]["console"]["stream"] = output
    logging.config.dictConfig(config)
    yield lambda: [json.loads(line) for line in output.getvalue().splitlines()]
    logging.config.dictConfig(settings.LOGGING)


def test_a_log_line_is_json_with_level_logger_message_and_time(json_lines):
    logging.getLogger("shop.orders").warning("order %s is late", 42)

    (line,) = json_lines()
    assert line["level"] == "WARNING"
    assert line["logger"] == "shop.orders"
    assert line["message"] == "order 42 is late"
    assert line["timestamp"]
    assert "request_id" in line


def test_the_request_id_comes_from_the_proxy_and_is_returned(client, json_lines):
    request_id = uuid.uuid4().hex

    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=request_id)

    assert response["X-Request-ID"] == request_id
    not_found = [line for line in json_lines() if line["logger"] == "django.request"]
    assert not_found
    assert not_found[0]["request_id"] == request_id


def test_a_request_logs_nothing_at_info_when_all_goes_well(client, json_lines):
    response = client.get("/")

    assert response.status_code == 200
    assert json_lines() == []


def test_a_host_not_allowed_is_one_warning_line_without_a_traceback(client, json_lines):
    response = client.get("/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    (line,) = json_lines()
    assert line["logger"] == "django.security.DisallowedHost"
    assert line["level"] == "WARNING"
    assert "attacker.example" in line["message"]
    assert "exc_info" not in line


def test_a_management_command_prints_only_its_own_output():
    """django-axes used to print "AXES: BEGIN ..." at start-up, on every command's output."""
    check = subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )

    assert check.stdout == "System check identified no issues (0 silenced).\n"
    assert check.stderr == ""


def test_under_debug_each_event_is_one_line(settings, capsys):
    """runserver (DEBUG on) used to print Django's messages twice: plain, then formatted."""
    settings.DEBUG = True
    configure_logging(settings.LOGGING_CONFIG, logging_config(style="text", level="INFO"))
    try:
        logging.getLogger("django.request").warning("Not Found: /nowhere/")
        output = capsys.readouterr()
    finally:
        logging.config.dictConfig(settings.LOGGING)

    assert output.err == ""
    (line,) = output.out.splitlines()
    assert "WARNING  django.request" in line
    assert line.endswith("Not Found: /nowhere/")


def test_a_request_without_an_id_gets_one(client):
    response = client.get("/")

    assert len(response["X-Request-ID"]) == 32


def test_a_malformed_request_id_is_replaced(client):
    response = client.get("/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert response["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(response["X-Request-ID"]) == 32


def test_logs_go_to_standard_output():
    assert logging_config(style="json", level="INFO")["handlers"]["console"]["stream"] == (
        "ext://sys.stdout"
    )


def test_local_development_logs_readable_text():
    config = logging_config(style="text", level="DEBUG")

    assert config["handlers"]["console"]["formatter"] == "text"
    assert config["root"]["level"] == "DEBUG"
