from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.roster_import, name="roster-import"),
    path("export/", views.roster_export, name="roster-export"),
    path("template/", views.roster_template, name="roster-template"),
]
