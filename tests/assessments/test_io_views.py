"""The assessments' Excel import page (queued as a background job) and its exports."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.imports.grades import HEADERS as GRADE_HEADERS
from assessments.models import AnnualAssessment
from core.models import AuditEvent, ImportJob, ImportState
from tests.assessments.test_imports import grade_row, workbook
from tests.importing import job_of, post_import, private_media, problems  # noqa: F401

pytestmark = pytest.mark.django_db


def upload(client, data: bytes, kind: str = "grades", name: str = "grades.xlsx"):
    form = {"kind": kind, "file": SimpleUploadedFile(name, data)}
    return post_import(client, reverse("assessments:import"), form)


def test_import_page_queues_the_workbook_and_the_job_writes_every_row(client, world, township):
    client.force_login(township.hr)
    rows = [grade_row(c, "称职") for c in township.cadres]
    job = job_of(upload(client, workbook(GRADE_HEADERS, rows)))
    assert (job.kind, job.options, job.state) == (
        "assessments.evidence", {"sheet": "grades"}, ImportState.DONE
    )
    assert job.summary["counts"] == {"written": 10}
    assert AnnualAssessment.objects.filter(year=2024, grade="competent").count() == 10
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert page.context["counts"] == [("written", "写入行数", 10)]
    assert page.context["back_url"] == reverse("assessments:import")


def test_import_page_reports_errors_and_hides_from_cadres(client, world, township, personas):
    client.force_login(township.hr)
    rows = [grade_row(c, "优秀") for c in township.cadres]
    job = job_of(upload(client, workbook(GRADE_HEADERS, rows)))
    assert not AnnualAssessment.objects.exists()
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert page.context["error_count"] == 1
    [message] = problems(page)
    assert "优秀" in message
    report = client.get(reverse("imports:report", args=[job.pk]))
    assert report.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    assert list(sheet.values)[1] == ("行号", "列", "内容", "问题")
    assert list(sheet.values)[2][3] == message
    assert AuditEvent.objects.filter(action="core.import.download").count() == 1
    client.force_login(personas.cadre_a1)
    assert client.get(reverse("assessments:import")).status_code == 404
    assert client.get(reverse("imports:report", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404


def test_a_file_that_is_not_a_workbook_is_refused_at_the_field(client, world, township):
    client.force_login(township.hr)
    response = upload(client, b"not a workbook")
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["该文件不是 Excel .xlsx 工作簿。"]}
    assert not ImportJob.objects.exists()


def test_a_workbook_this_person_may_not_write_is_not_offered(client, world, township):
    client.force_login(township.hr)
    response = upload(client, workbook(GRADE_HEADERS, []), kind="incidents")
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["kind"]
    assert not ImportJob.objects.exists()
