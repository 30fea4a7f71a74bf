from django.urls import path

from . import dashboard
from .exceptional import views as exceptional
from .grounds import views as grounds
from .incentives import views as incentives
from .proposals import views as proposals
from .triggers import views as triggers

app_name = "promotions"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/export.xlsx", proposals.proposal_export, name="proposals-export"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/new/", grounds.propose_pick, name="propose_pick"),
    path("cadres/<int:cadre_pk>/propose/", grounds.propose, name="propose"),
    path("exceptional/", exceptional.exceptional_list, name="exceptional_list"),
    path("exceptional/export.xlsx", exceptional.exceptional_export, name="exceptional-export"),
    path("exceptional/<int:pk>/", exceptional.exceptional_detail, name="exceptional"),
    path("cadres/<int:cadre_pk>/exceptional/", exceptional.exceptional_new, name="exceptional_new"),
    path("scan/", triggers.scan_now, name="scan"),
    path("eligibility/<int:cadre_pk>/", incentives.eligibility, name="eligibility"),
    path("bonus/", incentives.bonus, name="bonus"),
    path("bonus/<int:unit_pk>/<int:year>/", incentives.bonus_unit, name="bonus-unit"),
    path("outstanding/", incentives.outstanding, name="outstanding"),
    path("commendations/", incentives.commendation_list, name="commendations"),
    path("commendations/new/", incentives.commendation_new, name="commendation-new"),
    path("commendations/export.xlsx", incentives.commendation_export, name="commendations-export"),
    path("candidates/", incentives.candidates, name="candidates"),
    path("candidates/export/", incentives.candidates_export, name="candidates-export"),
]
