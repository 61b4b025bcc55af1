from django.urls import path

from .views import batches, queue, reports

urlpatterns = [
    path("bf-report/", reports.bf_report_lookup, name="ec_bf_report_lookup"),
    path("groups/<str:group_number>/bf-report/", reports.bf_report_page, name="ec_bf_report"),
    path(
        "groups/<str:group_number>/bf-report.pdf",
        reports.bf_report_download,
        name="ec_bf_report_pdf",
    ),
    path("queue/", queue.queue_list, name="ec_queue"),
    path("queue/claim-next/", queue.claim_next, name="ec_queue_claim_next"),
    path("queue/<int:request_id>/", queue.request_detail, name="ec_request"),
    path("queue/<int:request_id>/claim/", queue.claim, name="ec_request_claim"),
    path("queue/<int:request_id>/release/", queue.release, name="ec_request_release"),
    path("queue/<int:request_id>/grant/", queue.grant, name="ec_request_grant"),
    path("queue/<int:request_id>/grant/confirm/", queue.grant_confirm,
         name="ec_request_grant_confirm"),
    path("queue/<int:request_id>/reject/", queue.reject, name="ec_request_reject"),
    path("batches/", batches.batch_list, name="ec_batches"),
    path("batches/<int:batch_id>/spreadsheet.xlsx", batches.batch_spreadsheet,
         name="ec_batch_spreadsheet"),
]
