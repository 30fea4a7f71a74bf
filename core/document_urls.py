from django.urls import path

from . import document_views

app_name = "documents"

urlpatterns = [
    path("verify/", document_views.document_verify, name="verify"),
    path("<int:pk>/download/", document_views.document_download, name="download"),
]
