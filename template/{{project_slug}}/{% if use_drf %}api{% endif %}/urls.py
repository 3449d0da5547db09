"""The API's URLs: version 1 under /api/v1/, the OpenAPI schema and its Swagger UI."""

from csp.constants import SELF
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .permissions import API_DOCS_ACCESS

app_name = "api"

# Swagger UI draws its icons as data: images: its page adds them to the project's
# Content-Security-Policy (CONTENT_SECURITY_POLICY in config/settings/base.py).
SWAGGER_UI_CSP = {"img-src": [SELF, "data:"]}

v1 = [
    path("auth/register/", views.RegisterView.as_view(), name="register"),
    path("auth/token/", views.TokenObtainView.as_view(), name="token"),
    path("auth/token/refresh/", views.TokenRefreshView.as_view(), name="token-refresh"),
    path("auth/token/blacklist/", views.TokenBlacklistView.as_view(), name="token-blacklist"),
    path("auth/email/verify/", views.EmailVerifyView.as_view(), name="email-verify"),
    path("auth/email/resend/", views.EmailResendView.as_view(), name="email-resend"),
    path("auth/password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("auth/password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "auth/password/reset/confirm/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("users/", views.UserListView.as_view(), name="user-list"),
    path("users/me/", views.MeView.as_view(), name="me"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**API_DOCS_ACCESS), name="schema"),
    # Swagger UI, its start-up script served apart (?script): no inline script, as the CSP requires.
    path(
        "docs/",
        csp_update(SWAGGER_UI_CSP)(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/swagger_ui.html", **API_DOCS_ACCESS
            )
        ),
        name="docs",
    ),
    path("v1/", include(v1)),
    # Last: any other path under /api/ is the API's JSON 404, with DEBUG on too.
    re_path(r"", views.not_found),
]
