"""The settings' environment reader: django-environ's Env, with booleans that must be spelt right.

django-environ reads any word it does not know (a typo such as "ture", or "enabled") as false,
silently; this Env's bool() accepts only the documented spellings and names the variable otherwise.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off"}


class Env(environ.Env):
    def bool(self, var, *, default):
        """true/false, 1/0, yes/no or on/off, in any case; `default` when unset or empty."""
        value = self.str(var, default="")
        if not value.strip():
            return default
        if value.strip().lower() in TRUE:
            return True
        if value.strip().lower() in FALSE:
            return False
        raise ImproperlyConfigured(
            f"{var}={value!r} is not a boolean: use true or false (1/0, yes/no, on/off also work)."
        )


# The one reader every settings module and integration imports: `from config.env import env`.
env = Env()
