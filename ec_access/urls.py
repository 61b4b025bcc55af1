from django.urls import path

from . import views

urlpatterns = [
    path("bf-report/", views.bf_report_lookup, name="ec_bf_report_lookup"),
    path("groups/<str:group_number>/bf-report/", views.bf_report_page, name="ec_bf_report"),
    path(
        "groups/<str:group_number>/bf-report.pdf",
        views.bf_report_download,
        name="ec_bf_report_pdf",
    ),
]
