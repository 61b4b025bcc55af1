from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.catalog, name="husky_catalog"),
    path("member-check/", views.member_check, name="husky_member_check"),
]
