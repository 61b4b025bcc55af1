from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from .accounts import LoginView
from .middleware import csp_allow_inline_styles
from .views import (
    audit,
    authoring,
    case_notes,
    cases,
    dashboard,
    feedback,
    flowmaps,
    home,
    supervisor,
)


class CaseReferenceConverter:
    regex = r"SD-\d{6,12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseReferenceConverter, "ref")

# 400, 404 and 500: Django's handlers with the layout's templates/400.html, 404.html, 500.html.
handler403 = "supportdesk.views.errors.permission_denied"

urlpatterns = [
    path("", home.home, name="home"),
    path("health/", home.health, name="health"),
    path("accounts/login/", LoginView.as_view(), name="login"),  # throttled after failures
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("cases/", cases.my_cases, name="my_cases"),
    path("cases/new/<slug:flow_key>/", cases.case_open, name="case_open"),
    path("cases/<ref:reference>/", cases.case_resume, name="case_resume"),
    path("cases/<ref:reference>/follow-on/", cases.case_follow_on, name="case_follow_on"),
    path("cases/<ref:reference>/step/<slug:step_key>/", cases.case_step, name="case_step"),
    path("cases/<ref:reference>/back/", cases.case_back, name="case_back"),
    path("cases/<ref:reference>/restart/", cases.case_restart, name="case_restart"),
    path("cases/<ref:reference>/notes/", case_notes.case_note_add, name="case_note_add"),
    path("cases/<ref:reference>/incident/", case_notes.case_incident, name="case_incident"),
    # Feedback from the floor: a specialist reports a problem with a step, authors answer it.
    path("cases/<ref:reference>/step/<slug:step_key>/feedback/", feedback.step_feedback,
         name="step_feedback"),
    path("feedback/mine/", feedback.my_reports, name="feedback_mine"),
    path("flows/feedback/", feedback.feedback_overview, name="feedback_overview"),
    path("flows/<slug:flow_key>/feedback/", feedback.flow_feedback, name="flow_feedback"),
    path("flows/<slug:flow_key>/feedback/<int:feedback_id>/answer/", feedback.flow_feedback_answer,
         name="flow_feedback_answer"),
    path("flows/<slug:flow_key>/feedback/<int:feedback_id>/close/", feedback.flow_feedback_close,
         name="flow_feedback_close"),
    path("flows/", flowmaps.flow_list, name="flow_list"),
    # The flow authors' pages (the words of the flows: drafts, preview, versions).
    path("flows/content/", authoring.content_list, name="flow_content"),
    path("flows/<slug:flow_key>/edit/", authoring.editor, name="flow_edit"),
    path("flows/<slug:flow_key>/edit/status/", authoring.draft_status, name="flow_draft_status"),
    path("flows/<slug:flow_key>/edit/discard/", authoring.draft_discard, name="flow_draft_discard"),
    path("flows/<slug:flow_key>/preview/", authoring.preview, name="flow_preview"),
    path("flows/<slug:flow_key>/publish/", authoring.publish, name="flow_publish"),
    path("flows/<slug:flow_key>/versions/", authoring.versions, name="flow_versions"),
    path("flows/<slug:flow_key>/versions/compare/", authoring.compare, name="flow_compare"),
    path("flows/<slug:flow_key>/versions/<int:number>/revert/", authoring.revert,
         name="flow_revert"),
    path("flows/<slug:flow_key>/changes/seen/", authoring.alert_dismiss, name="flow_alert_dismiss"),
    # Mermaid puts a <style> element in the SVG it draws: these two pages alone allow inline
    # styles in their Content-Security-Policy (never inline scripts). See middleware.py.
    path("flows/<slug:flow_key>/", csp_allow_inline_styles(flowmaps.flow_map), name="flow_map"),
    path("supervisor/", csp_allow_inline_styles(dashboard.dashboard), name="supervisor_dashboard"),
    path(
        "supervisor/dashboard/<slug:table>.<str:fmt>",
        dashboard.dashboard_export,
        name="supervisor_dashboard_export",
    ),
    path("supervisor/cases/", supervisor.case_list, name="supervisor_cases"),
    path("supervisor/audit/", audit.audit_list, name="supervisor_audit"),
    path("supervisor/cases/export.<str:fmt>", supervisor.case_list_export,
         name="supervisor_cases_export"),
    path("supervisor/cases/<ref:reference>/", supervisor.case_detail, name="supervisor_case"),
    path("supervisor/cases/<ref:reference>/review/", supervisor.case_review,
         name="supervisor_case_review"),
    path(
        "supervisor/cases/<ref:reference>/transcript.pdf",
        supervisor.case_transcript_pdf,
        name="supervisor_case_pdf",
    ),
    path("ec/", include("ec_access.urls")),
    path("arsos/", include("agent_rsos.urls")),
    path("husky/", include("husky_reports.urls")),
    path("noyo/", include("noyo_sync.urls")),
    path("finder/", include("finder.urls")),
    path("admin/", admin.site.urls),
]
