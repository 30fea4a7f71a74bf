"""The OpenAPI schema and the local docs page of the REST API (the error shape:
test_api_errors.py)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

from core.enums import Role
from tests.factories import make_user

SCHEMA = "/api/schema/"
DOCS = "/api/docs/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def clerk(db):
    return make_user("api_clerk", Role.INTAKE_CLERK)


@pytest.fixture
def admin(db):
    return make_user("api_admin", Role.ADMIN)


# --- schema -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_schema_needs_a_login(api):
    response = api.get(SCHEMA, {"format": "json"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_schema_lists_every_endpoint(api, clerk):
    api.force_login(clerk)
    response = api.get(SCHEMA, {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == [
        "/api/assessments/checkups/",
        "/api/assessments/grades/",
        "/api/assessments/grades/{id}/",
        "/api/assessments/incidents/",
        "/api/assessments/incidents/{id}/",
        "/api/assessments/monthly-reports/",
        "/api/assessments/poverty/",
        "/api/assessments/ranks/",
        "/api/assessments/targets/",
        "/api/assessments/teams/",
        "/api/assessments/units/{unit_id}/grades/{year}/",
        "/api/assessments/warnings/",
        "/api/cadres/",
        "/api/cadres/{id}/",
        "/api/documents/",
        "/api/documents/{id}/",
        "/api/documents/{id}/download/",
        "/api/promotions/proposals/",
        "/api/promotions/proposals/{id}/",
        "/api/promotions/proposals/{id}/transitions/{action}/",
        "/api/tolerance/cases/",
        "/api/tolerance/cases/{id}/",
        "/api/tolerance/cases/{id}/deliveries/{delivery_pk}/receipt/",
        "/api/tolerance/cases/{id}/meeting/",
        "/api/tolerance/cases/{id}/receipt/",
        "/api/tolerance/cases/{id}/transitions/{action}/",
        "/api/units/",
        "/api/units/{id}/",
    ]
    assert sorted(schema["components"]["securitySchemes"]) == ["cookieAuth", "tokenAuth"]
    assert set(schema["paths"]["/api/cadres/{id}/"]) == {"get", "put", "patch"}
    assert set(schema["paths"]["/api/tolerance/cases/{id}/"]) == {"get"}
    assert set(schema["paths"]["/api/promotions/proposals/{id}/"]) == {"get"}
    assert set(schema["paths"]["/api/assessments/grades/{id}/"]) == {"get"}
    assert set(schema["paths"]["/api/assessments/units/{unit_id}/grades/{year}/"]) == {
        "get",
        "post",
    }


@pytest.mark.django_db
def test_schema_marks_protected_fields_read_only(api, clerk):
    api.force_login(clerk)
    components = api.get(SCHEMA, {"format": "json"}).json()["components"]["schemas"]
    # Write shapes hold only what may be written ...
    assert "state" not in components["TransitionRequest"]["properties"]
    assert set(components["TransitionRequest"]["properties"]) == {
        "reason",
        "investigator",
        "publication_scope",
        "method",
        "delivered_on",
        "receipt",
    }
    assert set(components["ProposalTransitionRequest"]["properties"]) == {
        "decision",
        "method",
        "reason",
        "title",
        "rank",
        "on",
        "unit",
        "document_ref",
    }
    assert set(components["GradesEnterRequest"]["properties"]) == {"grades"}
    assert set(components["GradeEntryRequest"]["properties"]) == {
        "cadre",
        "grade",
        "comments",
        "exemption_reason",
    }
    assert "national_id_masked" not in components["CadreCreateRequest"]["properties"]
    assert "unit" not in components["PatchedCadreEditRequest"]["properties"]
    assert "rank" not in components["PatchedCadreEditRequest"]["properties"]
    # ... and no read shape has the full ID number.
    assert "national_id" not in components["Cadre"]["properties"]
    for name in ("Case", "CaseDetail", "Document", "Cadre", "Unit", "Proposal",
                 "ProposalDetail", "Grade", "Incident"):
        assert all(p.get("readOnly") for p in components[name]["properties"].values()), name


@pytest.mark.django_db
def test_read_only_choices_that_may_be_blank_list_the_blank(api, clerk):
    """DRF drops allow_blank from read-only fields; the schema still lists "" where the
    model allows it (core.api_errors), so answers like an unpublished case's
    publication_scope "" match it."""
    api.force_login(clerk)
    components = api.get(SCHEMA, {"format": "json"}).json()["components"]["schemas"]
    blank = {"$ref": "#/components/schemas/BlankEnum"}
    for name, prop in (("Case", "due_stage"), ("CaseDetail", "publication_scope"),
                       ("CaseEntry", "outcome"), ("Cadre", "education")):
        assert blank in components[name]["properties"][prop]["oneOf"], (name, prop)
    assert components["BlankEnum"] == {"enum": [""]}
    # A choice that is never blank stays a plain enum.
    assert "oneOf" not in components["Case"]["properties"]["state"]


@pytest.mark.django_db
def test_schema_documents_the_error_shape(api, clerk):
    api.force_login(clerk)
    schema = api.get(SCHEMA, {"format": "json"}).json()
    responses = schema["paths"]["/api/cadres/{id}/"]["patch"]["responses"]
    assert sorted(responses) == ["200", "400", "401", "403", "404", "409"]
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["$ref"] == "#/components/schemas/ErrorBody"


# --- docs page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_docs_page_sends_anonymous_visitors_to_the_login(client):
    response = client.get(DOCS)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/api/docs/"


@pytest.mark.django_db
def test_docs_page_uses_local_assets_only(client, clerk):
    client.force_login(clerk)
    response = client.get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    # no CDN host anywhere (a bare "cdn" would also match inside the random CSRF token)
    assert not re.search(r"cdn[\w-]*\.|//[^\"'\s]*cdn", html.lower())
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "an asset from another host"
    assert "validatorUrl" in html  # the online validator badge is switched off
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html)
    assert sorted(assets) == [
        "/static/vendor/swagger-ui/favicon-32x32.png",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
    ]
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    assert '"/api/schema/"' in html


def test_vendored_swagger_ui_has_no_remote_references():
    css = open(finders.find("vendor/swagger-ui/swagger-ui.css"), encoding="utf-8").read()
    assert "sourceMappingURL" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
