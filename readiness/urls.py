from django.urls import path

from readiness import views

app_name = "readiness"

urlpatterns = [
    path("authorities/<int:authority_pk>/", views.readiness, name="readiness"),
    path("authorities/<int:authority_pk>/checklist/new/", views.item_create, name="item_create"),
    path("checklist/<int:readiness_item_pk>/edit/", views.item_edit, name="item_edit"),
    path("authorities/<int:authority_pk>/library/", views.library, name="library"),
    path(
        "authorities/<int:authority_pk>/library/new/", views.document_create, name="document_create"
    ),
    path("library/<int:library_document_pk>/", views.document_detail, name="document_detail"),
    path("library/<int:library_document_pk>/edit/", views.document_edit, name="document_edit"),
    path("meetings/<int:meeting_pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("updates/<int:update_pk>/evidence/", views.update_evidence, name="update_evidence"),
    path("actions/<int:action_pk>/evidence/", views.action_evidence, name="action_evidence"),
    path("areas/<int:finding_pk>/evidence/", views.area_evidence, name="area_evidence"),
    path(
        "evidence/<int:evidence_pk>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
]
