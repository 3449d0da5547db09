"""The admin site: titled with the project's name (settings.PROJECT_NAME), and two-factor sign-in
(TOTP, django-otp) for staff when ADMIN_REQUIRE_2FA is on.

Enable it in three steps (docs/operations.md): each staff member adds a TOTP device in the admin
(Django OTP > TOTP devices, scan the QR code with an authenticator app), then set
ADMIN_REQUIRE_2FA=true. From then on the admin asks for the 6-digit code at sign-in, and a
session that was not verified with a code is treated as having no admin access.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminSite


class ProjectAdminSite(OTPAdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)

    @property
    def site_header(self):
        return f"{settings.PROJECT_NAME} administration"

    @property
    def site_title(self):
        return f"{settings.PROJECT_NAME} admin"

    @property
    def index_title(self):
        return settings.PROJECT_NAME

    @property
    def login_form(self):
        return OTPAdminSite.login_form if settings.ADMIN_REQUIRE_2FA else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.ADMIN_REQUIRE_2FA else None

    def has_permission(self, request):
        if settings.ADMIN_REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)
