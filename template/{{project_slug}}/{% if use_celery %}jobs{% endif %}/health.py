"""Readiness checks of the Celery feature, registered in HEALTH_CHECKS by
config/integrations/celery.py: the broker answers, and, where CELERY_WORKER_EXPECTED says so, a
worker replies to a ping.
"""

import dataclasses

from config.celery import app

from ..core.health import ServiceUnavailable


@dataclasses.dataclass
class Broker:
    """A connection to the broker opens (one attempt, within CELERY_BROKER_CONNECTION_TIMEOUT)."""

    def run(self):
        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=0)
        except Exception as error:  # kombu's, redis's and amqp's errors share no base class
            raise ServiceUnavailable("Broker unavailable") from error


@dataclasses.dataclass
class Workers:
    """At least one worker replies to a ping within `timeout` seconds."""

    timeout: float = 0.3

    def run(self):
        try:
            replies = app.control.ping(timeout=self.timeout, limit=1)
        except Exception as error:
            raise ServiceUnavailable("Broker unavailable") from error
        if not replies:
            raise ServiceUnavailable(f"No worker replied within {self.timeout:g} s")
