"""Sign-in events come from django.contrib.auth's signals: there is no service of ours to call."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .trail import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("govinfo.user.logged_in", actor=user, target=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("govinfo.user.logged_out", actor=user, target=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record("govinfo.user.login_failed", details={"username": credentials.get("username", "")[:150]})
