"""The sign-in page: Django's, saying why a locked account is refused (supportdesk.throttle)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from .throttle import LOCKED_MESSAGE, LoginThrottle, client_ip

__all__ = ["LoginView", "ThrottledAdminAuthenticationForm", "ThrottledAuthenticationForm", "client_ip"]


def _minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class LockMessageMixin(AuthenticationForm):
    """Says "too many failed attempts" instead of "wrong password" while the lock holds. The
    backend refuses a locked sign-in anyway; this only gives the refusal its reason. A subclass
    of AuthenticationForm, so super().clean() is the sign-in check (the admin's form, placed
    between them in ThrottledAdminAuthenticationForm, adds no clean() of its own)."""

    def clean(self) -> dict[str, Any]:
        throttle = LoginThrottle(self.request, str(self.cleaned_data.get("username") or ""))
        if throttle.is_locked():
            raise forms.ValidationError(
                LOCKED_MESSAGE, code="locked", params={"wait": _minutes(throttle.lockout)},
            )
        return super().clean()


class ThrottledAuthenticationForm(LockMessageMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(LockMessageMixin, AdminAuthenticationForm):
    pass


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
