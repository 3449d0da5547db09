"""The audit trail: sign-ins, failed sign-ins, sign-outs, password changes and admin changes.

Each event is one record on the "audit" logger, with the user id and the client IP, e.g.
    {"message": "login", "event": "login", "user_id": 7, "ip": "203.0.113.9", ...}
The client IP of events raised outside a view (a password change saved by model code) comes
from the request being served, which AuditContextMiddleware remembers. core/apps.py connects the
receivers below (on_...) to Django's signals.
"""

import functools
import logging
from contextvars import ContextVar

from .net import client_ip

logger = logging.getLogger("audit")
current_ip = ContextVar("audit_client_ip", default=None)


def audit(event, *, user_id=None, ip=None, **details):
    ip = ip if ip is not None else current_ip.get()
    logger.info(event, extra={"event": event, "user_id": user_id, "ip": ip, **details})


class AuditContextMiddleware:
    """Remembers the client IP of the request being served, for audit events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


def on_login(sender, request, user, **kwargs):
    audit("login", user_id=user.pk, ip=client_ip(request) if request else None)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Never the password: only which account was tried.
    attempted = credentials.get("email") or credentials.get("username")
    audit("login_failed", ip=client_ip(request) if request else None, attempted=attempted)


def on_logout(sender, request, user, **kwargs):
    audit("logout", user_id=user.pk if user else None, ip=client_ip(request) if request else None)


def on_user_saved(sender, instance, created, **kwargs):
    """A saved user whose password was set since it was loaded (set_password(), however it is
    called: a service, the admin, changepassword) changed their password. Creating one did not."""
    # AbstractBaseUser keeps the new raw password in _password until the save is complete.
    if not created and instance._password is not None:
        audit("password_changed", user_id=instance.pk)


ADMIN_ACTIONS = {1: "addition", 2: "change", 3: "deletion"}


def audited_admin_log(log_actions):
    """Wrap LogEntry.objects.log_actions so that each admin change is also an audit event.

    Every admin change goes through log_actions, bulk deletions too (which send no post_save).
    """

    @functools.wraps(log_actions)
    def wrapper(user_id, queryset, action_flag, *args, **kwargs):
        entries = log_actions(user_id, queryset, action_flag, *args, **kwargs)
        for entry in entries if isinstance(entries, list) else [entries]:
            content_type = entry.content_type
            audit(
                "admin_change",
                user_id=user_id,
                action=ADMIN_ACTIONS[action_flag],
                object=f"{content_type.app_label}.{content_type.model}:{entry.object_id}",
            )
        return entries

    return wrapper
