"""Idle sign-outs are audited (等保: an idle session locks, and that it did is on the record).

A session ends after ``SESSION_COOKIE_AGE`` seconds without a request (settings: 30 minutes). Django
then just finds no session for the cookie the browser still sends; nothing says who was signed out.
This middleware looks the expired session up once — by the key in that cookie, in the session table —
records ``govinfo.user.idle_logout`` for its user, tells the person why they must sign in again, and
deletes the row so the event is written once. ``manage.py expire_sessions`` does the same for the
sessions whose owners never came back (run it daily instead of ``clearsessions``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govinfo.audit import actions, trail

IDLE_LOGOUT = "govinfo.user.idle_logout"
actions.register(IDLE_LOGOUT, gettext_lazy("超时自动退出"))
DB_ENGINES = {"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"}


def _uses_session_table() -> bool:
    return settings.SESSION_ENGINE in DB_ENGINES


def record_expired(session: Session) -> bool:
    """Record the idle sign-out of an expired session's user (if it had one) and delete the row."""
    user_id = session.get_decoded().get(SESSION_KEY)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is not None:
        idle_minutes = settings.SESSION_COOKIE_AGE // 60
        trail.record(
            IDLE_LOGOUT,
            actor=user,
            target=user,
            details={"expired_at": session.expire_date, "idle_minutes": idle_minutes},
        )
    Session.objects.filter(session_key=session.session_key).delete()
    return user is not None


def expire_all() -> int:
    """Every expired session: its idle sign-out recorded, the row deleted. Returns the sign-outs recorded."""
    recorded = 0
    for session in Session.objects.filter(expire_date__lte=timezone.now()).iterator():
        recorded += record_expired(session)
    return recorded


class IdleLogoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        user = getattr(request, "user", None)
        if key and _uses_session_table() and user is not None and not user.is_authenticated:
            expired = Session.objects.filter(session_key=key, expire_date__lte=timezone.now()).first()
            if expired is not None and record_expired(expired):
                messages.info(
                    request,
                    _("您已超过%(minutes)d分钟未操作，系统已自动退出登录，请重新登录。")
                    % {"minutes": settings.SESSION_COOKIE_AGE // 60},
                )
        return self.get_response(request)
