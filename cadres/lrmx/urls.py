"""Included at /cadres/lrmx/ inside the "cadres" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/export/", views.lrmx_export, name="lrmx-export"),
    path("export.zip", views.lrmx_export_zip, name="lrmx-export-zip"),
    path("import/", views.lrmx_import_view, name="lrmx-import"),
    path("<int:pk>/form.pdf", views.appointment_form, name="appointment-form"),
]
