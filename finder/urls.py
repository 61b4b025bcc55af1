from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.finder_search, name="finder_search"),
    path("flows/<slug:flow_key>/star/", views.finder_star, name="finder_star"),
    path("flows/<slug:flow_key>/unstar/", views.finder_unstar, name="finder_unstar"),
]
