"""One settings module per integration: its environment reads, its settings and its start-up.

config/settings/base.py ends with one `from config.integrations.<name> import *` per module, and
`import *` hands base.py every public name of the module. So a module holds settings only:
- UPPERCASE names, each one a setting that Django, a library or the project's code reads;
- a value used only to build those settings is private, with a leading underscore
  (`_API = "<slug>.api"`): `import *` leaves it out;
- code (a function, a class, a client) lives in a module that nothing star-imports, imported by
  the one line that calls it: the feature's app, or `config/<name>.py` beside this package
  (config/sentry.py starts Sentry; a Celery app would be config/celery.py);
- a module sets its own settings, never base.py's: where a feature adds to a shared setting
  (INSTALLED_APPS, MIDDLEWARE, HEALTH_CHECKS, ...), that is one guarded line in base.py.
The names a module imports (`env`, `timedelta`) come along with `import *`; Django reads only
UPPERCASE names, and they are the objects base.py has already. config/tests/test_integrations.py
holds every module here to these rules.

Why `import *` and no `__all__`: a feature's registration in base.py stays one guarded line, and
no list repeats every setting's name (a hand-kept list drifts from the module it describes).
"""
