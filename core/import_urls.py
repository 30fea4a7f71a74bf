"""Included at /imports/: the page of an import job and its error workbook."""

from django.urls import path

from . import import_views

app_name = "imports"

urlpatterns = [
    path("<int:pk>/", import_views.import_job, name="job"),
    path("<int:pk>/errors.xlsx", import_views.import_report, name="report"),
]
