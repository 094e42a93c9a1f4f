from django.urls import path

from improvement_plans import views

app_name = "improvement_plans"

urlpatterns = [
    path("", views.my_updates, name="my_updates"),
    path("review/", views.review_queue, name="review_queue"),
    path("inspections/<int:inspection_pk>/", views.plan_for_inspection, name="plan_for_inspection"),
    path("<int:plan_pk>/", views.plan_detail, name="plan_detail"),
    path("<int:plan_pk>/edit/", views.plan_edit, name="plan_edit"),
    path("areas/<int:finding_pk>/", views.area_detail, name="area_detail"),
    path("areas/<int:finding_pk>/history/", views.area_history, name="area_history"),
    path("areas/<int:finding_pk>/edit/", views.area_edit, name="area_edit"),
    path("areas/<int:finding_pk>/updates/new/", views.update_create, name="update_create"),
    path("areas/<int:finding_pk>/actions/new/", views.action_create, name="action_create"),
    path("updates/<int:update_pk>/", views.update_detail, name="update_detail"),
    path("updates/<int:update_pk>/edit/", views.update_edit, name="update_edit"),
    path("updates/<int:update_pk>/review/", views.update_review, name="update_review"),
    path("actions/<int:action_pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:action_pk>/status/", views.action_status, name="action_status"),
]
