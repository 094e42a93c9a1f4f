from django.contrib import admin
from django.urls import include, path

from ilacs import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/", include("accounts.urls")),
    path("authorities/", include("inspections.urls")),
    path("plans/", include("improvement_plans.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "ilacs.views.permission_denied"
handler404 = "ilacs.views.page_not_found"
handler500 = "ilacs.views.server_error"
