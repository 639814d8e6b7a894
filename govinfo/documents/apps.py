from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The 公文 engine: numbering, rendering, storage and verification, for every app that issues."""

    name = "govinfo.documents"
    label = "documents"
    verbose_name = _("公文")

    def ready(self) -> None:
        from govinfo.audit import actions, cases
        from govinfo.home import nav

        from . import (
            checks,  # noqa: F401  (registers the GOVINFO_SITE_URL check)
            exports,  # noqa: F401  registers the issued-documents exporter
        )
        from .issue import ISSUED_ACTION
        from .views import DOWNLOADED_ACTION

        actions.register(ISSUED_ACTION, _("签发公文"))
        actions.register(DOWNLOADED_ACTION, _("下载公文原件"))
        # A document belongs to the case of what it decides (an opinion's project, a round's project …).
        cases.register("documents.IssuedDocument", lambda document: document.target)
        # Events written while the engine lived in approvals keep their name (the trail is append-only).
        actions.register("approvals.document.issued", _("签发公文"))
        nav.register(
            nav.NavEntry(_("公文核验"), "documents:verify", nav.anyone, order=90, match_prefix="/verify/")
        )
