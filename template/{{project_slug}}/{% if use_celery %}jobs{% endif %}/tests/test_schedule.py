"""The default schedule: beat loads it into the database, and each entry names a task."""

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app


# Committed for real: the scheduler closes connections that are inside a transaction.
@pytest.mark.django_db(transaction=True)
def test_beat_loads_the_default_schedule_into_the_database():
    app.loader.import_default_modules()  # the tasks.py of every app, as a worker imports them

    DatabaseScheduler(app=app)

    loaded = {task.name: task.task for task in PeriodicTask.objects.all()}
    assert set(settings.CELERY_BEAT_SCHEDULE) <= set(loaded)
    assert [task for task in loaded.values() if task not in app.tasks] == []
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= set(app.tasks)
