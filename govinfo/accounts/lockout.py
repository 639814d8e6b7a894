"""Login-failure handling (等保 2.0 level 3, 身份鉴别: 登录失败处理), built on django-axes.

- An **account** is locked after ``AXES_FAILURE_LIMIT`` failed logins (default 5), an **address** after
  ``GOVINFO_LOGIN_ADDRESS_FAILURE_LIMIT`` (default 20: a whole office often shares one address), for
  ``AXES_COOLOFF_TIME`` (default 30 minutes) from the failure that locked it. Attempts during a lockout
  do not extend it, so the time the page gives is the time it ends. A successful login clears the
  account's own count (not the address's).
- The login page says which lock applies and when the user may try again (``lockout_response``).
- Every lockout is written to the audit trail (``govinfo.user.locked_out``); administrators unlock an
  account from the user list (``unlock``, ``govinfo.user.unlocked``) or delete the attempt in axes' admin.

Counting happens in ``LoginFailureHandler`` (axes' database handler with the two limits); the client
address follows the audit trail's rule: ``X-Forwarded-For`` only behind our own proxy.
"""

from __future__ import annotations

import datetime as dt

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from govinfo.audit.trail import record

LOCKED_OUT = "govinfo.user.locked_out"
UNLOCKED = "govinfo.user.unlocked"


def address_limit() -> int:
    return int(getattr(settings, "GOVINFO_LOGIN_ADDRESS_FAILURE_LIMIT", 20))


def client_address(request) -> str | None:
    """The address a failure is counted against: the proxy's X-Forwarded-For only behind our own proxy."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class LoginBackend(AxesStandaloneBackend):
    """Refuses a locked account or address before the password is even checked.

    ``authenticate()`` without a request is no login from outside (the test client's ``login``, a
    management command): there is nobody to lock out, so it is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _recent(request):
    return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))


def _sum(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginFailureHandler(AxesDatabaseHandler):
    """Axes' database handler, with its own limit for an address and a per-account reset on success."""

    def failures(self, request, credentials=None) -> tuple[int, int]:
        """(failures of the account, failures from the address) within the cool-off window."""
        recent = _recent(request)
        username = get_client_username(request, credentials)
        account = _sum(recent.filter(username=username)) if username else 0
        return account, _sum(recent.filter(ip_address=request.axes_ip_address))

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares one number with AXES_FAILURE_LIMIT: the address's count is put on that scale,
        # reaching it exactly when the address reaches its own limit.
        account, address = self.failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        return max(account, address * limit // address_limit())

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        AccessAttempt.objects.filter(username=user.get_username()).delete()


def _unlocks_at(attempts, limit: int, cool_off: dt.timedelta) -> dt.datetime | None:
    """When the newest failures stop adding up to ``limit``: the failure that reached it, plus the cool-off."""
    counted = 0
    for attempt_time, failures in attempts.order_by("-attempt_time").values_list(
        "attempt_time", "failures_since_start"
    ):
        counted += failures
        if counted >= limit:
            return attempt_time + cool_off
    return None


def lockout_state(request, credentials=None) -> tuple[str, dt.datetime] | None:
    """("account" or "address", when it ends) for a locked request, else None."""
    cool_off = get_cool_off(request)
    recent = _recent(request)
    username = get_client_username(request, credentials)
    if username:
        until = _unlocks_at(
            recent.filter(username=username), get_failure_limit(request, credentials), cool_off
        )
        if until:
            return "account", until
    until = _unlocks_at(recent.filter(ip_address=request.axes_ip_address), address_limit(), cool_off)
    return ("address", until) if until else None


def lockout_message(scope: str, until: dt.datetime) -> str:
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    params = {"time": timezone.localtime(until).strftime("%H:%M"), "minutes": minutes}
    if scope == "account":
        return (
            _(
                "登录失败次数过多，该账号已暂时锁定。请于 %(time)s 后（约 %(minutes)s 分钟）再试；"
                "如需立即解锁，请联系系统管理员。"
            )
            % params
        )
    return (
        _(
            "从您所在网络地址登录失败的次数过多，已暂时禁止登录。请于 %(time)s 后（约 %(minutes)s 分钟）再试；"
            "如需立即解锁，请联系系统管理员。"
        )
        % params
    )


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, saying which lock applies and when it ends (HTTP 429)."""
    from .forms import LoginForm

    state = lockout_state(request, credentials)
    scope, until = state or ("account", timezone.now() + get_cool_off(request))
    username = get_client_username(request, credentials) or ""
    form = LoginForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {"form": form, "lockout": lockout_message(scope, until), "next": request.POST.get("next", "")},
        status=429,
    )


@receiver(user_locked_out)
def _record_lockout(sender, request, username, ip_address, **kwargs):
    if getattr(request, "axes_failures_since_start", None) is None:
        return  # a further attempt during a lockout (its failure is already recorded), not a new lockout
    state = lockout_state(request, getattr(request, "axes_credentials", None))
    scope, until = state or ("account", timezone.now() + get_cool_off(request))
    user = get_user_model().objects.filter(username=username).first() if username else None
    record(
        LOCKED_OUT,
        target=user,
        details={
            "username": (username or "")[:150],
            "ip_address": ip_address or "",
            "scope": scope,
            "until": timezone.localtime(until).isoformat(timespec="minutes"),
        },
        ip_address=ip_address,
    )


def unlock(user, *, by) -> int:
    """Clear an account's failed logins (an administrator's action); returns how many records went."""
    count = AccessAttempt.objects.filter(username=user.get_username()).delete()[0]
    if count:
        record(UNLOCKED, actor=by, target=user, details={"username": user.get_username(), "records": count})
    return count
