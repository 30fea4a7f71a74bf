from django.urls import path

from . import views

app_name = "clarifications"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views.petition_new, name="new"),
    path("export.csv", views.petition_export, name="export"),
    path("export.xlsx", views.petition_export_xlsx, name="export-xlsx"),
    path("<int:pk>/", views.petition_detail, name="petition"),
    path("<int:pk>/act/<slug:action>/", views.petition_action, name="action"),
    path("filings/", views.filing_list, name="filings"),
    path("filings/<int:pk>/", views.filing_detail, name="filing"),
    path("stats/", views.stats, name="stats"),
]
