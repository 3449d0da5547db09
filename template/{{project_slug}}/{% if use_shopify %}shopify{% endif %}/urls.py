"""Shopify's URLs, under /shopify/: the install, its callback and the webhooks."""

from django.urls import path

from . import views

app_name = "shopify"

urlpatterns = [
    path("install/", views.install, name="install"),
    path("callback/", views.callback, name="callback"),
    path("webhooks/", views.webhook, name="webhooks"),
]
