"""The REST API's URLs (included at /api/): the router, the OpenAPI schema and its docs page.

Each app keeps its endpoints in its own `api.py`; this module only puts them together.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.templatetags.static import static
from django.urls import path, re_path
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from assessments import api as assessments_api
from cadres.api import CadreViewSet, UnitViewSet
from core.api import DocumentViewSet
from promotions.proposals.api import ProposalViewSet
from tolerance.api import CaseViewSet

app_name = "api"

# Path converters (<int:pk>): a malformed id is a 404 and the schema types it as an integer.
router = SimpleRouter(use_regex_path=False)
router.register("units", UnitViewSet, basename="unit")
router.register("cadres", CadreViewSet, basename="cadre")
router.register("tolerance/cases", CaseViewSet, basename="tolerance-case")
router.register("documents", DocumentViewSet, basename="document")
router.register("assessments/grades", assessments_api.GradeViewSet, basename="assessment-grade")
router.register(
    "assessments/teams", assessments_api.TeamAssessmentViewSet, basename="assessment-team"
)
router.register(
    "assessments/targets", assessments_api.TargetAssessmentViewSet, basename="assessment-target"
)
router.register(
    "assessments/ranks", assessments_api.MonitoringRankViewSet, basename="assessment-rank"
)
router.register(
    "assessments/poverty", assessments_api.PovertyTargetViewSet, basename="assessment-poverty"
)
router.register(
    "assessments/incidents", assessments_api.IncidentViewSet, basename="assessment-incident"
)
router.register(
    "assessments/monthly-reports",
    assessments_api.MonthlyReportViewSet,
    basename="assessment-monthly-report",
)
router.register(
    "assessments/checkups", assessments_api.CheckupViewSet, basename="assessment-checkup"
)
router.register(
    "assessments/warnings", assessments_api.WarningViewSet, basename="assessment-warning"
)
router.register("promotions/proposals", ProposalViewSet, basename="proposal")


class ApiDocsView(SpectacularSwaggerView):
    """Swagger UI for people who are logged in, from static/vendor/swagger-ui only."""

    template_name = "api/swagger_ui.html"
    permission_classes = [AllowAny]
    title = gettext_lazy("API documentation")

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        return static(f"vendor/swagger-ui/{filename}")

    @staticmethod
    def _swagger_ui_favicon() -> str:
        return static("vendor/swagger-ui/favicon-32x32.png")

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)


class ApiNotFound(APIView):
    """Any other path under /api/: a 404 in the API's error shape (not the HTML page)."""

    permission_classes = [AllowAny]
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path(
        "assessments/units/<int:unit_id>/grades/<int:year>/",
        assessments_api.GradeSheetView.as_view(),
        name="assessment-sheet",
    ),
    *router.urls,
    re_path(r"", ApiNotFound.as_view(), name="not-found"),
]
