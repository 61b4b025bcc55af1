from django.urls import path

from . import views

# Under /arsos/ (supportdesk/urls.py). URLs carry the escalation's number only, never member data.
urlpatterns = [
    path("escalations/", views.my_escalations, name="arsos_my_escalations"),
    path("escalations/overview/", views.escalation_overview, name="arsos_escalation_overview"),
    path("escalations/<int:escalation_id>/", views.escalation_detail, name="arsos_escalation"),
    path("escalations/<int:escalation_id>/email.eml", views.escalation_eml,
         name="arsos_escalation_eml"),
    path("escalations/<int:escalation_id>/details/", views.escalation_save,
         name="arsos_escalation_save"),
    path("escalations/<int:escalation_id>/split/", views.escalation_split,
         name="arsos_escalation_split"),
    path("escalations/<int:escalation_id>/sent/", views.escalation_sent,
         name="arsos_escalation_sent"),
    path("escalations/<int:escalation_id>/acknowledged/", views.escalation_acknowledged,
         name="arsos_escalation_acknowledged"),
    path("escalations/<int:escalation_id>/follow-up/", views.escalation_follow_up,
         name="arsos_escalation_follow_up"),
    path("escalations/<int:escalation_id>/resolved/", views.escalation_resolved,
         name="arsos_escalation_resolved"),
    path("escalations/<int:escalation_id>/escalated/", views.escalation_escalated,
         name="arsos_escalation_escalated"),
]
