"""Changing and resetting one's own password: Django's views, the site's templates, an audit event each."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from govinfo.audit.trail import record


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record("govinfo.user.password_changed", actor=self.request.user, target=self.request.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The link in the mail points at GOVINFO_SITE_URL, never at whatever Host the request named."""

    success_url = reverse_lazy("password_reset_done")

    def get_extra_email_context(self):
        return {"site_url": settings.SITE_URL, "platform_name": str(settings.GOVINFO_ORG_NAME)}

    def form_valid(self, form):
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        # Whoever holds the mailbox is the account's owner: a lockout from someone else's guessing ends.
        AccessAttempt.objects.filter(username=user.get_username()).delete()
        record("govinfo.user.password_reset", actor=user, target=user)
        return response
