from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", core_views.audit_log, name="audit-log"),
    path("cadres/", include("cadres.urls")),
    path("documents/", include("core.document_urls")),
    path("tolerance/", include("tolerance.urls")),
    path("admin/", admin.site.urls),
]
