"""The default schedule: beat loads it into the database, each entry names a task, and the admin
edits it."""

import pytest
from django.conf import settings
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app

# Committed for real: the scheduler closes connections that are inside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def test_beat_loads_the_default_schedule_into_the_database():
    app.loader.import_default_modules()  # the tasks.py of every app, as a worker imports them

    DatabaseScheduler(app=app)

    loaded = {task.name: task.task for task in PeriodicTask.objects.all()}
    assert set(settings.CELERY_BEAT_SCHEDULE) <= set(loaded)
    assert [task for task in loaded.values() if task not in app.tasks] == []
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= set(app.tasks)


def test_the_admin_lists_the_schedule_and_pauses_an_entry(admin_client):
    DatabaseScheduler(app=app)
    entry = PeriodicTask.objects.get(name="clear-expired-sessions")

    listed = admin_client.get(reverse("admin:django_celery_beat_periodictask_changelist"))
    paused = admin_client.post(
        reverse("admin:django_celery_beat_periodictask_changelist"),
        {"action": "disable_tasks", "_selected_action": [entry.pk]},
    )

    assert listed.status_code == 200
    assert "clear-expired-sessions" in listed.text
    assert paused.status_code == 302
    DatabaseScheduler(app=app)  # beat starts again: the pause holds
    entry.refresh_from_db()
    assert entry.enabled is False
