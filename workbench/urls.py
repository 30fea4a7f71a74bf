from django.urls import path

from . import views

app_name = "workbench"

urlpatterns = [
    path("search/", views.global_search, name="search"),
]
