"""The unit learns of NDRC's decision: a notice (to-do item and e-mail) from the platform's notices.

Sent by the decision rows of the lifecycle table (``then``), inside the decision's transaction: the notice
exists exactly when the decision does, and the e-mail leaves only after the commit. It points at the
project page, where the decision document is listed (``apps.decision_document_links``); the unit's clerks
sign for it (签收) or it leaves their to-do list after ``NOTICE_KEEP_DAYS``. Only the decision documents go
to the unit this way; the agencies' 审核意见书 stay on the review page.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from govinfo.formats import official_date
from govinfo.notices.services import notify
from projects.models import Project

from .models import ReviewRound, ReviewStage


def decision_made(project: Project, *, by=None) -> None:
    round = (
        ReviewRound.objects.filter(project=project, status=ReviewRound.Status.DECIDED)
        .select_related("decision_document", "project__lead_unit")
        .order_by("-closed_at", "-id")
        .first()
    )
    if round is None or round.decision_document is None:
        return
    document = round.decision_document
    # The notice is read by the unit whatever language the deciding official's browser uses.
    with translation.override(settings.LANGUAGE_CODE):
        facts = {
            "title": document.title,
            "number": document.doc_number,
            "date": official_date(document.issue_date),
            "project": project.name,
            "code": project.code or "",
        }
        if round.outcome == ReviewRound.Outcome.APPROVED:
            title = _("批复已印发：%(title)s（%(number)s）") % facts
            text = (
                _(
                    "省发展改革委于%(date)s印发《%(title)s》（%(number)s），项目“%(project)s”（%(code)s）已批复。"
                    "请在项目页面查阅并下载批复文件。"
                )
                % facts
            )
            if round.stage == ReviewStage.FEASIBILITY:
                text += _("请据此编制初步设计方案（含投资概算）报批。")
            else:
                text += _("请按批复要求组织实施。")
        else:
            title = _("不予批复：%(title)s（%(number)s）") % facts
            text = (
                _(
                    "省发展改革委于%(date)s印发《%(title)s》（%(number)s），项目“%(project)s”（%(code)s）不予批复。"
                    "请在项目页面查阅并下载该文件。"
                )
                % facts
            )
        category = _("审查决定")
    notify(
        key=f"approvals.decision.{round.pk}",
        unit=round.project.lead_unit,
        category=category,
        title=title,
        text=text,
        url=reverse("projects:detail", args=[project.pk]),
        target=project,
        by=by or round.closed_by,
    )
