from django.urls import path

from core.spreadsheets import FORMATS
from improvement_plans import views

app_name = "improvement_plans"

# Mounted at the site's root (ilacs/urls.py): the plans' pages under plans/, and the pages that
# show Ofsted's record with the authority's response beside the inspections' own, under
# authorities/.
urlpatterns = [
    # Downloads of a page's tables: one address per format (core.spreadsheets.FORMATS).
    *(
        pattern
        for file_format in FORMATS
        for pattern in (
            path(
                f"authorities/inspections/<int:inspection_pk>/inspection.{file_format}",
                views.inspection_download,
                {"file_format": file_format},
                name=f"inspection_{file_format}",
            ),
            path(
                f"plans/review/updates-to-review.{file_format}",
                views.review_queue_download,
                {"file_format": file_format},
                name=f"review_queue_{file_format}",
            ),
            path(
                f"plans/<int:plan_pk>/improvement-plan.{file_format}",
                views.plan_download,
                {"file_format": file_format},
                name=f"plan_{file_format}",
            ),
        )
    ),
    path("authorities/<int:authority_pk>/", views.authority_detail, name="authority_detail"),
    path(
        "authorities/inspections/<int:inspection_pk>/",
        views.inspection_detail,
        name="inspection_detail",
    ),
    path(
        "authorities/inspections/<int:inspection_pk>/history/",
        views.inspection_history,
        name="inspection_history",
    ),
    path(
        "authorities/inspections/<int:inspection_pk>/deadlines/",
        views.inspection_deadlines,
        name="inspection_deadlines",
    ),
    path("plans/", views.my_updates, name="my_updates"),
    path("plans/review/", views.review_queue, name="review_queue"),
    path(
        "plans/inspections/<int:inspection_pk>/",
        views.plan_for_inspection,
        name="plan_for_inspection",
    ),
    path("plans/<int:plan_pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/areas/<int:finding_pk>/", views.area_detail, name="area_detail"),
    path("plans/areas/<int:finding_pk>/history/", views.area_history, name="area_history"),
    path("plans/areas/<int:finding_pk>/edit/", views.area_edit, name="area_edit"),
    path("plans/areas/<int:finding_pk>/updates/new/", views.update_create, name="update_create"),
    path("plans/areas/<int:finding_pk>/actions/new/", views.action_create, name="action_create"),
    path("plans/updates/<int:update_pk>/", views.update_detail, name="update_detail"),
    path("plans/updates/<int:update_pk>/edit/", views.update_edit, name="update_edit"),
    path("plans/updates/<int:update_pk>/review/", views.update_review, name="update_review"),
    path("plans/actions/<int:action_pk>/edit/", views.action_edit, name="action_edit"),
    path("plans/actions/<int:action_pk>/status/", views.action_status, name="action_status"),
]
