"""Health checks: liveness (the process answers) and readiness (the services it needs answer).

The checks are django-health-check's (or any health_check.base.HealthCheck); the HEALTH_CHECKS
setting names them. A feature registers its own in its config/integrations module:

    HEALTH_CHECKS["celery"] = "health_check.contrib.celery.Ping"

A check is a dotted path, or a (dotted path, options) pair. Results are JSON:

    {"status": "ok", "checks": {"database": {"status": "ok", "ms": 1.2}, ...}}

with 200 when every check passes and 503 when any fails. Error texts come from the checks, which
report what failed ("Unavailable: connection failed"), never a password, DSN or stack trace.
"""

import asyncio
import dataclasses
import secrets
import uuid

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.module_loading import import_string
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable, ServiceWarning

NO_STORE = {"Cache-Control": "no-store"}


@dataclasses.dataclass
class CacheRoundTrip(HealthCheck):
    """The cache stores, returns and forgets a value (a key of its own for every probe)."""

    alias: str = "default"

    def run(self):
        cache = caches[self.alias]
        key, value = f"health-check:{uuid.uuid4().hex}", uuid.uuid4().hex
        try:
            cache.set(key, value, timeout=30)
            returned = cache.get(key)
            cache.delete(key)
            forgotten = cache.get(key) is None
        except Exception as error:  # Redis's errors share no base class with the others.
            raise ServiceUnavailable("Cache unavailable") from error
        if returned != value or not forgotten:
            raise ServiceUnavailable("Cache did not store, return and forget a value")


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration the code ships is applied to the database."""

    alias: str = "default"

    def run(self):
        connection = connections[self.alias]
        try:
            with connection.temporary_connection():
                executor = MigrationExecutor(connection)
                unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            raise ServiceUnavailable("Database unavailable") from error
        if unapplied:
            raise ServiceUnavailable(f"{len(unapplied)} unapplied migration(s)")


def build_checks(specs):
    """[(name, check)] from a {name: dotted path or (dotted path, options)} mapping."""
    checks = []
    for name, spec in specs.items():
        path, options = (spec, {}) if isinstance(spec, str) else spec
        checks.append((name, import_string(path)(**options)))
    return checks


async def _results(checks):
    return await asyncio.gather(*(check.get_result() for _, check in checks))


def run_checks(specs):
    """Run the checks concurrently: (healthy, {name: {"status", "ms", "error"?}})."""
    checks = build_checks(specs)
    report = {}
    healthy = True
    for (name, _), result in zip(checks, async_to_sync(_results)(checks), strict=True):
        entry = {"status": "ok", "ms": round(result.time_taken * 1000, 1)}
        if result.error is not None:
            warning = isinstance(result.error, ServiceWarning)
            entry["status"] = "warning" if warning else "error"
            entry["error"] = str(result.error)
            healthy = healthy and warning
        report[name] = entry
    return healthy, report


def checks_response(specs):
    healthy, report = run_checks(specs)
    body = {"status": "ok" if healthy else "error", "checks": report}
    return JsonResponse(body, status=200 if healthy else 503, headers=NO_STORE)


def live(request):
    """Liveness: answers without touching the database, the cache or the network."""
    return JsonResponse({"status": "ok"}, headers=NO_STORE)


def ready(request):
    """Readiness: every check in HEALTH_CHECKS."""
    return checks_response(settings.HEALTH_CHECKS)


def status(request):
    """Every check, readiness's and HEALTH_STATUS_CHECKS, for a monitor that knows the token.

    Without HEALTH_STATUS_TOKEN the endpoint does not exist (None: the request goes on to a 404).
    """
    token = settings.HEALTH_STATUS_TOKEN
    if not token:
        return None
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not secrets.compare_digest(sent.encode(), token.encode()):
        return JsonResponse(
            {"status": "error", "detail": "Send the status token as 'Authorization: Bearer ...'."},
            status=401,
            headers={**NO_STORE, "WWW-Authenticate": "Bearer"},
        )
    return checks_response({**settings.HEALTH_CHECKS, **settings.HEALTH_STATUS_CHECKS})


ENDPOINTS = {"/health/live/": live, "/health/ready/": ready, "/health/status/": status}
