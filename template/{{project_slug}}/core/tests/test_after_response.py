"""Work handed to run_after_response() runs once the response is sent, or at once outside one."""

import logging

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from ..after_response import run_after_response

done = []


def view(request):
    run_after_response(done.append, "after")
    done.append("answered")
    return HttpResponse("ok")


def failing_view(request):
    run_after_response(lambda: 1 / 0)
    return HttpResponse("ok")


urlpatterns = [path("view/", view), path("failing/", failing_view)]


def test_outside_a_request_the_work_runs_at_once():
    ran = []

    run_after_response(ran.append, "now")

    assert ran == ["now"]


@pytest.mark.urls(__name__)
def test_in_a_request_the_work_waits_for_the_response():
    done.clear()

    response = Client().get("/view/")

    assert response.content == b"ok"
    assert done == ["answered", "after"]


@pytest.mark.urls(__name__)
def test_failing_work_is_logged_and_the_answer_stands(caplog):
    with caplog.at_level(logging.ERROR):
        response = Client().get("/failing/")

    assert response.status_code == 200
    assert "Work after the response failed" in caplog.text
