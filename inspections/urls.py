from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("<int:authority_pk>/inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:inspection_pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path(
        "inspections/<int:inspection_pk>/judgements/",
        views.judgements_edit,
        name="judgements_edit",
    ),
    path(
        "inspections/<int:inspection_pk>/findings/new/",
        views.finding_create,
        name="finding_create",
    ),
    path(
        "inspections/<int:inspection_pk>/findings/paste/",
        views.findings_paste,
        name="findings_paste",
    ),
    path("findings/<int:finding_pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:finding_pk>/delete/", views.finding_delete, name="finding_delete"),
    path("findings/<int:finding_pk>/move/", views.finding_move, name="finding_move"),
    path("import/report/", views.report_import, name="report_import"),
    path("import/report/confirm/", views.report_import_confirm, name="report_import_confirm"),
    path("import/overview/", views.overview_import, name="overview_import"),
    path("import/archive/", views.archive_import_run, name="archive_import_run"),
]
