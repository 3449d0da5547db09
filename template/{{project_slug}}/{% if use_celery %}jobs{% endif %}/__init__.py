"""Background jobs: what every Celery task shares (retries, logging, readiness checks, emails sent
once) and the housekeeping tasks the project runs on a schedule."""
