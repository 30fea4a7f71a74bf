from django.urls import path

from .views import applicant, case, files, queue

app_name = "tolerance"

urlpatterns = [
    path("", queue.case_queue, name="queue"),
    path("export.xlsx", queue.case_queue_export, name="queue_export"),
    path("mine/", applicant.my_cases, name="my_cases"),
    path("file/", applicant.file_case, name="file"),
    path("cases/<int:pk>/", case.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/<slug:action>/", case.case_action, name="case_action"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/",
        files.attachment_download,
        name="attachment_download",
    ),
    path(
        "cases/<int:pk>/deliveries/<int:delivery_pk>/receipt/",
        files.receipt_download,
        name="receipt_download",
    ),
]
