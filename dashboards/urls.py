from django.urls import path

from core.spreadsheets import FORMATS
from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("authorities/<int:authority_pk>/", views.authority, name="authority"),
    # Downloads of a page's tables: one address per format (core.spreadsheets.FORMATS).
    *(
        pattern
        for file_format in FORMATS
        for pattern in (
            path(
                f"authorities.{file_format}",
                views.portfolio_download,
                {"file_format": file_format},
                name=f"portfolio_{file_format}",
            ),
            path(
                f"authorities/<int:authority_pk>/dashboard.{file_format}",
                views.authority_download,
                {"file_format": file_format},
                name=f"authority_{file_format}",
            ),
        )
    ),
    path("authorities/<int:authority_pk>/benchmark/", views.benchmark, name="benchmark"),
    path("authorities/<int:authority_pk>/improved/", views.improved, name="improved"),
    path("authorities/<int:authority_pk>/themes/", views.themes_view, name="themes"),
]
