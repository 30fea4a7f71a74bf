from django.urls import path

from . import io_views, report_views, views
from .entry import checkup_views, rank_views
from .entry import views as entry_views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("grid/<int:unit_id>/<int:year>/", views.grade_grid, name="grid"),
    path("mine/", views.my_record, name="mine"),
    path("cadre/<int:pk>/", views.cadre_record, name="cadre"),
    path("incidents/", views.incident_list, name="incidents"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("reports/distribution/", report_views.distribution_report, name="report-distribution"),
    path("reports/detection/", report_views.detection_report, name="report-detection"),
    path("reports/ranks/", report_views.rank_report, name="report-ranks"),
    path("reports/incidents/", report_views.incident_report, name="report-incidents"),
    path("evidence/ranks/enter/", rank_views.ranks_enter, name="ranks-enter"),
    path("evidence/checkups/add/", checkup_views.checkup_add, name="checkup-add"),
    path("evidence/checkups/<int:pk>/", checkup_views.checkup_detail, name="checkup"),
    path("evidence/warnings/", checkup_views.warning_list, name="warnings"),
    path(
        "evidence/warnings/<int:pk>/resolve/",
        checkup_views.warning_resolve_view,
        name="warning-resolve",
    ),
    path("evidence/<slug:key>/", entry_views.entry_list, name="entry"),
    path("evidence/<slug:key>/add/", entry_views.entry_edit, name="entry-add"),
    path("evidence/<slug:key>/<int:pk>/", entry_views.entry_edit, name="entry-edit"),
    path("import/", io_views.import_page, name="import"),
    path("export/<str:kind>/", io_views.export, name="export"),
    path("template/<str:kind>/", io_views.template, name="template"),
]
