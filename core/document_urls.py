from django.urls import path

from . import document_views, draft_views

app_name = "documents"

urlpatterns = [
    path("verify/", document_views.document_verify, name="verify"),
    path("<int:pk>/download/", document_views.document_download, name="download"),
    path("<int:pk>/correct/", draft_views.document_correct, name="correct"),
    path("drafts/", draft_views.draft_list, name="drafts"),
    path("drafts/<int:pk>/", draft_views.draft_detail, name="draft"),
    path("drafts/<int:pk>/preview/", draft_views.draft_preview, name="draft_preview"),
    path(
        "drafts/<int:pk>/approval-form/", draft_views.draft_approval_form, name="approval_form"
    ),
]
