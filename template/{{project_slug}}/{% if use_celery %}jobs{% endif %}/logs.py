"""Task ids in log lines: what a worker logs while it runs a task says which task run it was."""

import logging

from celery import current_task


class TaskContext(logging.Filter):
    """Adds task_id and task_name to records logged while a task runs (the JSON formatter writes
    them as fields); records logged outside a task are left as they are."""

    def filter(self, record):
        task = current_task
        if task and task.request.id:
            record.task_id = task.request.id
            record.task_name = task.name
        return True
