from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("authorities/<int:authority_pk>/new/", views.report_create, name="report_create"),
    path(
        "authorities/<int:authority_pk>/self-evaluation/new/",
        views.self_evaluation_create,
        name="self_evaluation_create",
    ),
    path("authorities/<int:authority_pk>/profile/", views.profile_edit, name="profile_edit"),
    path(
        "authorities/<int:authority_pk>/word-template/",
        views.word_template,
        name="word_template",
    ),
    path("<int:report_pk>/", views.report_detail, name="report_detail"),
    path("<int:report_pk>/details/", views.report_edit, name="report_edit"),
    path("<int:report_pk>/section/", views.section_edit, name="section_edit"),
    path(
        "<int:report_pk>/section/regenerate/", views.section_regenerate, name="section_regenerate"
    ),
    path("<int:report_pk>/finalise/", views.report_finalise, name="report_finalise"),
    path("<int:report_pk>/new-version/", views.report_new_version, name="report_new_version"),
    path("<int:report_pk>/print/", views.report_print, name="report_print"),
    path("<int:report_pk>/report.docx", views.report_docx, name="report_docx"),
    path("<int:report_pk>/report.pdf", views.report_pdf, name="report_pdf"),
]
