"""Signing in, with throttling after repeated failures, whatever the door.

After LOGIN_FAILURE_LIMIT failed attempts for one username within LOGIN_FAILURE_WINDOW seconds,
or LOGIN_FAILURE_LIMIT_PER_IP from one client address, further attempts for that username (or
from that address) are refused for LOGIN_LOCKOUT seconds, even with the right password. The
message is the same whether the username exists or not, and failures are counted for unknown
usernames too, so the lockout tells an attacker nothing about which accounts exist.

The throttle sits in the authentication backend (supportdesk.backends.RoleBackend), which every
way of signing in goes through: the app's form, the admin's, anything that calls
``authenticate()``. The forms only check the lock first, to say why they refuse.

The counters live in Django's cache (Redis in production, shared by every web process). When
the cache cannot be reached, signing in still works, unthrottled, and the outage is logged:
an unreachable Redis must not lock every specialist out in the middle of their calls.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)

LOCKED_MESSAGE = "Too many failed sign-in attempts. Wait %(wait)s, then try again."


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies, the address the first
    of them saw (the proxies append to X-Forwarded-For; anything further left can be forged)."""
    proxies = _setting("TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _digest(text: str) -> str:
    # Keys carry a hash, not the username or address itself.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class LoginThrottle:
    """The failure counters of one sign-in attempt: by username and by client address."""

    def __init__(self, request: HttpRequest | None, username: str) -> None:
        self.window = _setting("LOGIN_FAILURE_WINDOW", 15 * 60)
        self.lockout = _setting("LOGIN_LOCKOUT", 15 * 60)
        username_key = _digest(username.strip().casefold())
        self.scopes = [
            (f"login:fail:user:{username_key}", f"login:lock:user:{username_key}",
             _setting("LOGIN_FAILURE_LIMIT", 5)),
        ]
        if request is not None:  # authenticate() without a request (a script) has no address
            ip_key = _digest(client_ip(request))
            self.scopes.append((f"login:fail:ip:{ip_key}", f"login:lock:ip:{ip_key}",
                                _setting("LOGIN_FAILURE_LIMIT_PER_IP", 20)))

    def is_locked(self) -> bool:
        try:
            return any(cache.get_many([lock for _, lock, _ in self.scopes]).values())
        except Exception:  # the cache is down: fail open, loudly
            logger.exception("Login throttle: cache unreachable; attempt not throttled")
            return False

    def failed(self) -> None:
        try:
            for counter, lock, limit in self.scopes:
                # add() starts the window on the first failure; incr() keeps its expiry.
                cache.add(counter, 0, timeout=self.window)
                try:
                    failures = cache.incr(counter)
                except ValueError:  # expired between add() and incr()
                    cache.set(counter, 1, timeout=self.window)
                    failures = 1
                if failures >= limit:
                    cache.set(lock, 1, timeout=self.lockout)
                    cache.delete(counter)
                    logger.warning("Login throttle: %s locked for %s s after %s failures",
                                   "username" if ":user:" in lock else "client address",
                                   self.lockout, failures)
        except Exception:
            logger.exception("Login throttle: cache unreachable; failure not counted")

    def succeeded(self) -> None:
        """A good password clears the username's failures. The address's stay: signing in to
        one account must not reset the count of guesses made at others."""
        counter, _, _ = self.scopes[0]
        try:
            cache.delete(counter)
        except Exception:
            logger.exception("Login throttle: cache unreachable; counter not cleared")
