from django.urls import path

from promotions.grounds import views as views_jinan
from promotions.incentives import views as incentive_views
from promotions.proposals import views

from . import dashboard

app_name = "promotions"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/export.xlsx", views.proposal_export, name="proposals-export"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/new/", views_jinan.propose_pick, name="propose_pick"),
    path("cadres/<int:cadre_pk>/propose/", views_jinan.propose, name="propose"),
    path("exceptional/", views_jinan.exceptional_list, name="exceptional_list"),
    path("exceptional/<int:pk>/", views_jinan.exceptional_detail, name="exceptional"),
    path("cadres/<int:cadre_pk>/exceptional/", views_jinan.exceptional_new, name="exceptional_new"),
    path("scan/", views.scan_now, name="scan"),
    path("eligibility/<int:cadre_pk>/", views.eligibility, name="eligibility"),
    path("bonus/", views.bonus, name="bonus"),
    path("bonus/<int:unit_pk>/<int:year>/", incentive_views.bonus_unit, name="bonus-unit"),
    path("outstanding/", incentive_views.outstanding, name="outstanding"),
    path("commendations/", incentive_views.commendation_list, name="commendations"),
    path("commendations/new/", incentive_views.commendation_new, name="commendation-new"),
    path("candidates/", incentive_views.candidates, name="candidates"),
    path("candidates/export/", incentive_views.candidates_export, name="candidates-export"),
]
