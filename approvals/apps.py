from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("审查与批复")

    def ready(self) -> None:
        from govinfo.audit import actions
        from govinfo.home import nav

        actions.register("approvals.document.issued", _("签发公文"))
        nav.register(
            nav.NavEntry(_("公文核验"), "approvals:verify", nav.anyone, order=90, match_prefix="/verify/")
        )
