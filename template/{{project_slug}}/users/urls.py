"""The account pages' URLs, under /accounts/ (LOGIN_URL is users:login); namespace `users`."""

from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("signup/", views.sign_up, name="signup"),
    path("verify-email/", views.verify_email, name="verify-email"),
    path("verify-email/resend/", views.verify_email_resend, name="verify-email-resend"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/confirm/", views.password_reset_confirm, name="password-reset-confirm"),
]
