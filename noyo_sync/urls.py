from django.urls import path

from . import views, webhook_views
from .sandbox import views as sandbox

urlpatterns = [
    path("connections/", views.connection_list, name="noyo_connections"),
    path("connections/new/", views.connection_new, name="noyo_connection_new"),
    path("connections/<int:connection_id>/", views.connection_detail, name="noyo_connection"),
    path("connections/<int:connection_id>/refresh/", views.connection_refresh,
         name="noyo_connection_refresh"),
    path("connections/<int:connection_id>/retry/", views.connection_retry,
         name="noyo_connection_retry"),
    path("member-changes/", views.member_change_check, name="noyo_member_change_check"),
    # Noyo's webhooks: signed deliveries, no session (see webhook_views.py).
    path("webhooks/", webhook_views.webhook, name="noyo_webhook"),
    # The local Noyo sandbox: machine-to-machine, Bearer token instead of a session (see
    # sandbox/views.py). Noyo's own paths, without trailing slashes.
    path("sandbox/auth/public/token", sandbox.token, name="noyo_sandbox_token"),
    path("sandbox/api/v1/group_connections", sandbox.connections, name="noyo_sandbox_connections"),
    path("sandbox/api/v1/group_connections/<str:connection_id>", sandbox.connection_detail,
         name="noyo_sandbox_connection"),
    path("sandbox/api/v1/group_connections/<str:connection_id>/retry", sandbox.connection_retry,
         name="noyo_sandbox_connection_retry"),
]
