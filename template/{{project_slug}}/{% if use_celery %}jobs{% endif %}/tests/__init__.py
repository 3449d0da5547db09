"""Tests of the jobs app: tasks in eager mode, a real worker, the schedule, readiness, logs."""
