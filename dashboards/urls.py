from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("authorities/<int:authority_pk>/", views.authority, name="authority"),
    path("authorities/<int:authority_pk>/benchmark/", views.benchmark, name="benchmark"),
    path("authorities/<int:authority_pk>/improved/", views.improved, name="improved"),
    path("authorities/<int:authority_pk>/themes/", views.themes_view, name="themes"),
]
