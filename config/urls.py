from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from core import health, notification_views
from core import views as core_views
from workbench import views as workbench_views

urlpatterns = [
    path("", workbench_views.home, name="home"),
    path("workbench/", include("workbench.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", notification_views.set_language, name="set_language"),
    path("audit/", core_views.audit_log, name="audit-log"),
    path("audit/export.xlsx", core_views.audit_log_export, name="audit-log-export"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/read/", notification_views.notification_mark_read, name="notifications-read"
    ),
    path(
        "notifications/<int:pk>/open/",
        notification_views.notification_open,
        name="notification-open",
    ),
    path("cadres/", include("cadres.urls")),
    path("documents/", include("core.document_urls")),
    path("imports/", include("core.import_urls")),
    path("register/", include("register.urls")),
    path("stats/", include("tolerance.statistics_urls")),
    path("tolerance/", include("tolerance.urls")),
    path("assessments/", include("assessments.urls")),
    path("promotions/", include("promotions.urls")),
    # The cadre timeline moved to the register app; the old address still leads there.
    path(
        "clarifications/cadres/<int:pk>/timeline/",
        RedirectView.as_view(pattern_name="register:timeline", permanent=True),
    ),
    path("clarifications/", include("clarifications.urls")),
    path("api/", include("config.api")),
    path("admin/", admin.site.urls),
]

# Chinese error pages, and the API's JSON error shape under /api/ (core/error_views.py).
handler403 = "core.error_views.permission_denied"
handler404 = "core.error_views.page_not_found"
handler500 = "core.error_views.server_error"
