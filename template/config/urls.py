"""URL routing. Each feature adds one line here; its own URLs live in its app."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import path
from django.views.generic import TemplateView

urlpatterns = [
    path("", TemplateView.as_view(template_name="pages/home.html"), name="home"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# Uploaded files in local development; production serves them from object storage or the proxy.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
