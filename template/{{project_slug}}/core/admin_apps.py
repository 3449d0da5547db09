"""django.contrib.admin's app config, with the project's admin site (core/admin_site.py).

A module of its own: INSTALLED_APPS imports it before models can load, which the site needs.
"""

from django.contrib.admin.apps import AdminConfig


class ProjectAdminConfig(AdminConfig):
    default_site = f"{__package__}.admin_site.ProjectAdminSite"
