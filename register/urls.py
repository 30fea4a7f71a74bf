from django.urls import path

from . import timeline, views

app_name = "register"

urlpatterns = [
    path("", views.register_list, name="list"),
    path("exports/", views.export_create, name="export-create"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/progress/", views.export_progress, name="progress"),
    path("exports/<int:pk>/download/<str:part>/", views.export_download, name="download"),
    path("cases/<int:pk>/case-file/", views.case_file_export, name="case-file"),
    path("cadres/<int:pk>/timeline/", timeline.cadre_timeline, name="timeline"),
]
