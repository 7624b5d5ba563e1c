from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/import/", views.ratings_import_view, name="ratings_import"),
    path("reports/programmes/<int:pk>/", views.programme_report, name="programme_report"),
    path("reports/programmes/<int:pk>/report.csv", views.programme_report_csv, name="programme_report_csv"),
    path("reports/programmes/<int:pk>/report.pdf", views.programme_report_pdf, name="programme_report_pdf"),
    path(
        "reports/programmes/<int:pk>/report.json", views.programme_report_json, name="programme_report_json"
    ),
    path("reports/programmes/<int:pk>/ratings.csv", views.ratings_export_view, name="ratings_export"),
]
