"""Health checks: liveness (the process answers) and readiness (the services it needs answer).

The HEALTH_CHECKS setting names the checks: the ones below, django-health-check's, or any class
whose run() (plain or async) raises ServiceUnavailable, ServiceWarning or django-health-check's
exceptions when its service fails. A feature registers its own with one guarded line in
config/settings/base.py's HEALTH_CHECKS, for example:

    "broker": "<slug>.jobs.health.Broker",

A check is a dotted path, or a (dotted path, options) pair. django-health-check is imported only
when a check of it is (importing it loads redis's and dnspython's clients: 0.3 s of every start).
Results are JSON:

    {"status": "ok", "checks": {"database": {"status": "ok", "ms": 1.2}, ...}}

with 200 when every check passes and 503 when any fails. Error texts come from the checks, which
report what failed ("Unavailable: connection failed"), never a password, DSN or stack trace.

Each check runs on a thread of its own, kept for the life of the process (so the database and
cache checks reuse that thread's kept connections), one run at a time: probes that arrive while
a check runs wait for that run. A check that has not answered within HEALTH_CHECK_TIMEOUT
seconds is reported as timed out, and the probe answers 503 without waiting for it.

Readiness is public, so a storm of probes must not cost the pages their time: once a process has
run the readiness checks READY_RUNS_PER_SECOND times within a second, further probes get the
latest answer (less than a second old) until a run falls out of that second. Platform probes,
one every few seconds, always get a run of their own. The price: under a storm, a failure shows
up to a second later (a hung service turns readiness to 503 within 1.5 s instead of 0.5 s).
"""

import asyncio
import collections
import dataclasses
import inspect
import logging
import queue
import secrets
import sys
import threading
import time
import uuid
from concurrent import futures

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store"}


class ServiceUnavailable(Exception):
    """Raised by a check whose service fails; shown as "Unavailable: <message>"."""

    message_type = "Unavailable"

    def __str__(self):
        return f"{self.message_type}: {self.args[0]}"


class ServiceWarning(ServiceUnavailable):
    """Raised by a check whose service works but needs attention: the probe still passes."""

    message_type = "Warning"


def reported_failure(error):
    """The kind of failure ("error" or "warning") a check reports by raising `error`, or None.

    django-health-check's exceptions count too; its module is loaded when one of its checks is.
    """
    theirs = sys.modules.get("health_check.exceptions")
    if isinstance(error, ServiceWarning) or (theirs and isinstance(error, theirs.ServiceWarning)):
        return "warning"
    if isinstance(error, ServiceUnavailable) or (
        theirs and isinstance(error, theirs.HealthCheckException)
    ):
        return "error"
    return None


@dataclasses.dataclass
class Database:
    """The database answers SELECT 1, on the connection this thread keeps between probes."""

    alias: str = "default"

    def run(self):
        connection = connections[self.alias]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as error:
            # A broken connection is dropped, so that the next probe opens a new one.
            connection.close_if_unusable_or_obsolete()
            raise ServiceUnavailable("Database unavailable") from error


@dataclasses.dataclass
class CacheRoundTrip:
    """The cache stores, returns and forgets a value (a key of its own for every probe): three
    round trips, the delete's answer saying whether the key was there to forget."""

    alias: str = "default"

    def run(self):
        cache = caches[self.alias]
        key, value = f"health-check:{uuid.uuid4().hex}", uuid.uuid4().hex
        try:
            cache.set(key, value, timeout=30)
            returned = cache.get(key)
            forgotten = cache.delete(key)
        except Exception as error:  # Redis's errors share no base class with the others.
            raise ServiceUnavailable("Cache unavailable") from error
        if returned != value or not forgotten:
            raise ServiceUnavailable("Cache did not store, return and forget a value")


# Databases whose migrations all passed: the code of a process does not change, so once they
# are applied the check need not load the migration graph again.
MIGRATED = set()


@dataclasses.dataclass
class Migrations:
    """Every migration the code ships is applied to the database (checked until it passes)."""

    alias: str = "default"

    @property
    def passed(self):
        """Whether the check passed earlier in this process: then it need not run again."""
        return self.alias in MIGRATED

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
        MIGRATED.add(self.alias)


def build_checks(specs):
    """[(name, check)] from a {name: dotted path or (dotted path, options)} mapping."""
    checks = []
    for name, spec in specs.items():
        path, options = (spec, {}) if isinstance(spec, str) else spec
        checks.append((name, import_string(path)(**options)))
    return checks


def timed_run(check):
    """(failure, seconds taken) of one run of `check`; failure is None when it passed, else
    ("error" or "warning", its text)."""
    started = time.perf_counter()
    try:
        if inspect.iscoroutinefunction(check.run):
            asyncio.run(check.run())
        else:
            check.run()
    except Exception as error:
        failure = reported_failure(error)
        if failure is None:
            logger.exception("Health check %r raised", check)
            failure, error = "error", ServiceUnavailable("unknown error")
        else:
            logger.warning("Health check %r failed: %s", check, error)
        return (failure, str(error)), time.perf_counter() - started
    return None, time.perf_counter() - started


class CheckThread(threading.Thread):
    """A thread that runs the runs of one check in turn, for the life of the process.

    A daemon: a check stuck on a hung service never holds up the process's exit.
    """

    def __init__(self, name):
        super().__init__(name=f"health-{name}", daemon=True)
        self.queue = queue.SimpleQueue()
        self.start()

    def submit(self, function, *args):
        future = futures.Future()
        self.queue.put((future, function, args))
        return future

    def run(self):
        while (item := self.queue.get()) is not None:
            future, function, args = item
            try:
                future.set_result(function(*args))
            except Exception as error:
                future.set_exception(error)

    def stop(self):
        self.queue.put(None)
        self.join()


class CheckThreads:
    """A thread for each check name, and the run in progress on each."""

    def __init__(self):
        self.lock = threading.Lock()
        self.threads = {}
        self.runs = {}

    def run(self, name, check):
        """(future, start time) of the run of `name` in progress, or of a new one."""
        with self.lock:
            run = self.runs.get(name)
            if run is None or run[0].done():
                if name not in self.threads:
                    self.threads[name] = CheckThread(name)
                future = self.threads[name].submit(timed_run, check)
                run = self.runs[name] = (future, time.monotonic())
            return run

    def close(self):
        """Wait for the runs in progress, close the threads' connections and end the threads."""
        with self.lock:
            threads, self.threads, self.runs = self.threads, {}, {}
            MIGRATED.clear()
            LATEST_READY.clear()
        for thread in threads.values():
            thread.submit(connections.close_all)
            thread.stop()


CHECK_THREADS = CheckThreads()

READY_RUNS_PER_SECOND = 10


class LatestAnswer:
    """The latest readiness answer of this process, and the start times of its recent runs."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        self.answer = None
        self.runs = collections.deque()

    def reusable(self):
        """The latest answer when this second's runs are used up; None when a probe may run the
        checks (it is then counted as a run)."""
        now = self.clock()
        with self.lock:
            while self.runs and self.runs[0] <= now - 1:
                self.runs.popleft()
            if self.answer is not None and len(self.runs) >= READY_RUNS_PER_SECOND:
                return self.answer
            self.runs.append(now)
            return None

    def keep(self, answer):
        self.answer = answer


LATEST_READY = LatestAnswer()


def run_checks(specs):
    """Run the checks concurrently: (healthy, {name: {"status", "ms", "error"?}}).

    Each run gets HEALTH_CHECK_TIMEOUT seconds from its start: a probe that finds a check still
    running since an earlier probe waits only for what is left of that time, so a hung service
    holds each worker for a moment at most.
    """
    timeout = settings.HEALTH_CHECK_TIMEOUT
    checks = build_checks(specs)
    runs = {
        name: CHECK_THREADS.run(name, check)
        for name, check in checks
        if not getattr(check, "passed", False)
    }
    last_deadline = max((started + timeout for _, started in runs.values()), default=0)
    left = max(0, last_deadline - time.monotonic())
    futures.wait([run for run, _ in runs.values()], timeout=left)
    report = {}
    healthy = True
    for name, _ in checks:
        run, _ = runs.get(name, (None, None))
        if run is None:
            failure, seconds = None, 0.0
        elif run.done():
            failure, seconds = run.result()
        else:
            failure = ("error", str(ServiceUnavailable(f"Timed out after {timeout:g} s")))
            seconds = timeout
        entry = {"status": "ok", "ms": round(seconds * 1000, 1)}
        if failure is not None:
            entry["status"], entry["error"] = failure
            healthy = healthy and entry["status"] == "warning"
        report[name] = entry
    return healthy, report


def checks_response(specs, *, latest=None):
    """The JSON answer of the checks in `specs`: reused from `latest` (a LatestAnswer) during
    a storm of probes, run otherwise."""
    answer = latest.reusable() if latest else None
    if answer is None:
        answer = run_checks(specs)
        if latest:
            latest.keep(answer)
    healthy, report = answer
    body = {"status": "ok" if healthy else "error", "checks": report}
    return JsonResponse(body, status=200 if healthy else 503, headers=NO_STORE)


def live(request):
    """Liveness: answers without touching the database, the cache or the network."""
    return JsonResponse({"status": "ok"}, headers=NO_STORE)


def ready(request):
    """Readiness: every check in HEALTH_CHECKS."""
    return checks_response(settings.HEALTH_CHECKS, latest=LATEST_READY)


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
