from django.contrib import admin
from django.urls import include, path

from ilacs import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/", include("accounts.urls")),
    path("authorities/", include("inspections.urls")),
    path("", include("improvement_plans.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("api.urls")),
    path("readiness/", include("readiness.urls")),
    path("health/", health.health, name="health"),
    # The admin signs in through the service's own sign-in (lockout, two-factor).
    path("admin/login/", views.admin_sign_in, name="admin_sign_in"),
    path("admin/", admin.site.urls),
]

handler400 = "ilacs.health.bad_request"
handler403 = "ilacs.views.permission_denied"
handler404 = "ilacs.views.page_not_found"
# A database outage gets a 503 "try again shortly" page; anything else the ordinary 500 page.
handler500 = "ilacs.health.server_error"
