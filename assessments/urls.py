from django.urls import path

from . import io_views, report_views, views

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
    path("import/", io_views.import_page, name="import"),
    path("import/report/<str:token>/", io_views.import_report, name="import-report"),
    path("export/<str:kind>/", io_views.export, name="export"),
    path("template/<str:kind>/", io_views.template, name="template"),
]
