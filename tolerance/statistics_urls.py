from django.urls import path

from .views import statistics as views

app_name = "stats"

urlpatterns = [
    path("", views.statistics, name="index"),
]
