"""The receiver of Noyo's webhooks: machine-to-machine, so no session (@login_not_required) and
no CSRF token; the HMAC signature and the timestamp stand in for both (services.webhooks)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .services.webhooks import webhook_receive


@csrf_exempt
@login_not_required
def webhook(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":  # Noyo's JSON error body, like the rest of its API
        response = JsonResponse({"status": 405, "message": "POST a Noyo event."}, status=405)
        response["Allow"] = "POST"
        return response
    status, message = webhook_receive(headers=request.headers, body=request.body)
    return JsonResponse({"status": status, "message": message}, status=status)
