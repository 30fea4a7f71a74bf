from django.urls import path

from . import pickers, views

app_name = "workbench"

urlpatterns = [
    path("search/", views.global_search, name="search"),
    path("pick/<slug:kind>/", pickers.pick, name="pick"),
]
