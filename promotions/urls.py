from django.urls import path

from . import views

app_name = "promotions"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("scan/", views.scan_now, name="scan"),
    path("eligibility/<int:cadre_pk>/", views.eligibility, name="eligibility"),
    path("bonus/", views.bonus, name="bonus"),
]
