from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditorConfig(AppConfig):
    """The auditor's pages (site level: they read every app, no app reads them)."""

    name = "govinfo.auditor"
    label = "auditor"
    verbose_name = _("审计与报表")

    def ready(self):
        from govinfo.home import nav
        from govinfo.orgs.models import Role
        from projects import page_links

        nav.register(
            nav.NavEntry(
                _("审计"), "auditor:hub", nav.with_role(Role.AUDITOR), order=15, match_prefix="/audit/"
            )
        )
        page_links.register(case_trail_link)


def case_trail_link(user, project):
    """An auditor opens a project's whole audit trail from its page."""
    from django.urls import reverse

    from govinfo.audit.exports import case_key
    from govinfo.orgs import roles
    from projects import page_links

    if not roles.is_auditor(user):
        return []
    url = f"{reverse('auditor:trail')}?case={case_key(project)}"
    return [page_links.PageLink(str(_("审计记录")), url, note=str(_("本项目全部审计事件")))]
